package dev.stamp.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page in a real browser: Debian's headless Chromium, driven through its own ChromeDriver by Selenium (see
 * {@link HeadlessChromium}). Two pages (two browsers) open {@code /}, each sends a message, and each must show both.
 */
@SampleAppTest
class ChatPageBrowserTests {

	/** Where the screenshot of the page goes, for people (and reviews) to look at. */
	static final Path SCREENSHOT = Path.of("target", "screenshots", "chat-page.png");

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Value("${local.stamp.http.port}")
	int httpPort;

	private final HeadlessChromium chromium = new HeadlessChromium(1024, 768);

	@BeforeAll
	static void requireChromium() {
		HeadlessChromium.requireInstalled();
	}

	@AfterEach
	void quitBrowsers() {
		this.chromium.close();
	}

	@Test
	void twoPagesSeeEachOthersChatMessages() throws IOException {
		ChromeDriver anonymous = openChatPage();
		WebDriver bob = openChatPage();

		send(anonymous, "Hello from the first page");
		awaitMessage(anonymous, "User: Hello from the first page");
		awaitMessage(bob, "User: Hello from the first page");

		// Bob sets a name: the page tells the server before his message, so it is shown instead of "User".
		bob.findElement(By.id("name")).sendKeys("Bob");
		send(bob, "Hi, this is Bob");
		awaitMessage(anonymous, "Bob: Hi, this is Bob");
		awaitMessage(bob, "Bob: Hi, this is Bob");

		// Each page shows exactly the two messages, in the order they were sent (the name command is not one).
		List<String> expected = List.of("User: Hello from the first page", "Bob: Hi, this is Bob");
		assertThat(messages(anonymous)).isEqualTo(expected);
		assertThat(messages(bob)).isEqualTo(expected);

		HeadlessChromium.screenshot(anonymous, SCREENSHOT);
	}

	@Test
	void pageShowsItIsConnectedAndOnlyEnablesSendThen() {
		WebDriver page = openChatPage();
		assertThat(page.getTitle()).isEqualTo("Stamp chat");
		assertThat(page.findElement(By.id("status")).getText()).isEqualTo("Connected");
		assertThat(page.findElement(By.id("send")).isEnabled()).isTrue();
		assertThat(page.findElement(By.id("messages")).getText()).contains("No messages yet");
	}

	private ChromeDriver openChatPage() {
		ChromeDriver driver = this.chromium.open();
		driver.get("http://127.0.0.1:" + this.httpPort + "/");
		// The page connects to the WebSocket listener on its own port; wait until it says so.
		new WebDriverWait(driver, WAIT)
			.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "open"));
		return driver;
	}

	private static void send(WebDriver page, String text) {
		WebElement message = page.findElement(By.id("message"));
		message.sendKeys(text);
		page.findElement(By.id("send")).click();
	}

	private static void awaitMessage(WebDriver page, String text) {
		new WebDriverWait(page, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), text));
	}

	/** The chat messages a page shows, without their time stamps. */
	private static List<String> messages(WebDriver page) {
		return page.findElements(By.cssSelector("#messages li:not(.empty)"))
			.stream()
			.map((item) -> item.getText().replace(item.findElement(By.tagName("time")).getText(), "").strip())
			.toList();
	}

}
