package dev.stamp.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The chat page in a real browser: Debian's headless Chromium, driven through its own ChromeDriver by Selenium.
 * Two pages (two browsers) open {@code /}, each sends a message, and each must show both.
 * <p>
 * The browser and driver paths are set explicitly so that Selenium Manager never tries to download a browser or a
 * driver (the network only reaches package registries). Missing binaries fail the test, with how to install them:
 * a browser test that skips itself would silently stop testing the page.
 */
@SpringBootTest(properties = { SampleAppIntegrationTests.TCP_PORT_0, SampleAppIntegrationTests.WEBSOCKET_PORT_0,
		SampleAppIntegrationTests.HTTP_PORT_0, SampleAppIntegrationTests.LOOPBACK_TCP,
		SampleAppIntegrationTests.LOOPBACK_WEBSOCKET, SampleAppIntegrationTests.LOOPBACK_HTTP })
class ChatPageBrowserTests {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	/** Where the screenshot of the page goes, for people (and reviews) to look at. */
	static final Path SCREENSHOT = Path.of("target", "screenshots", "chat-page.png");

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Value("${local.stamp.http.port}")
	int httpPort;

	private final List<WebDriver> drivers = new ArrayList<>();

	private final List<Path> profiles = new ArrayList<>();

	@BeforeAll
	static void requireChromium() {
		for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
			if (!Files.isExecutable(binary)) {
				fail(binary + " is missing: the chat page test needs Debian's Chromium and ChromeDriver. Install them"
						+ " with scripts/install-test-browser (or: apt-get install chromium chromium-driver)");
			}
		}
	}

	@AfterEach
	void quitBrowsers() {
		this.drivers.forEach(WebDriver::quit);
		for (Path profile : this.profiles) {
			FileSystemUtils.deleteRecursively(profile.toFile());
		}
	}

	@Test
	void twoPagesSeeEachOthersChatMessages() throws IOException {
		WebDriver anonymous = openChatPage();
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

		Files.createDirectories(SCREENSHOT.getParent());
		File screenshot = ((ChromeDriver) anonymous).getScreenshotAs(OutputType.FILE);
		Files.copy(screenshot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
		assertThat(SCREENSHOT).isNotEmptyFile();
	}

	@Test
	void pageShowsItIsConnectedAndOnlyEnablesSendThen() {
		WebDriver page = openChatPage();
		assertThat(page.getTitle()).isEqualTo("Stamp chat");
		assertThat(page.findElement(By.id("status")).getText()).isEqualTo("Connected");
		assertThat(page.findElement(By.id("send")).isEnabled()).isTrue();
		assertThat(page.findElement(By.id("messages")).getText()).contains("No messages yet");
	}

	private WebDriver openChatPage() {
		WebDriver driver = startChromium();
		driver.get("http://127.0.0.1:" + this.httpPort + "/");
		// The page connects to the WebSocket listener on its own port; wait until it says so.
		new WebDriverWait(driver, WAIT)
			.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "open"));
		return driver;
	}

	private WebDriver startChromium() {
		Path profile;
		try {
			profile = Files.createTempDirectory("stamp-chromium-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.profiles.add(profile);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1024,768", "--user-data-dir=" + profile,
				// Resolve nothing but loopback: the page must work without any other host.
				"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		this.drivers.add(driver);
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
