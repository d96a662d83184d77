package dev.stamp.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Value;

import dev.stamp.sample.browser.Browser;
import dev.stamp.sample.browser.BrowserKind;
import dev.stamp.sample.browser.BrowserPage;
import dev.stamp.sample.browser.FailureScreenshots;
import dev.stamp.sample.browser.InEachBrowser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat page in real browsers, each test once in every {@link BrowserKind}: two pages
 * (two windows) open {@code /}, each sends a message, and each must show both.
 */
@SampleAppTest
class ChatPageBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Value("${local.stamp.http.port}")
	int httpPort;

	private Browser browser;

	@RegisterExtension
	final FailureScreenshots failureScreenshots = new FailureScreenshots(() -> this.browser);

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@InEachBrowser
	void twoPagesSeeEachOthersChatMessages(BrowserKind browserKind) {
		this.browser = browserKind.launch(1024, 768);
		BrowserPage anonymous = openChatPage();
		BrowserPage bob = openChatPage();

		send(anonymous, "Hello from the first page");
		awaitMessage(anonymous, "User: Hello from the first page");
		awaitMessage(bob, "User: Hello from the first page");

		// Bob sets a name: the page tells the server before his message, so it is shown
		// instead of "User".
		bob.type("#name", "Bob");
		send(bob, "Hi, this is Bob");
		awaitMessage(anonymous, "Bob: Hi, this is Bob");
		awaitMessage(bob, "Bob: Hi, this is Bob");

		// Each page shows exactly the two messages, in the order they were sent (the name
		// command is not one).
		List<String> expected = List.of("User: Hello from the first page", "Bob: Hi, this is Bob");
		assertThat(messages(anonymous)).isEqualTo(expected);
		assertThat(messages(bob)).isEqualTo(expected);

		anonymous.screenshot(Path.of("target", "screenshots", "chat-page-" + browserKind.id() + ".png"));
	}

	@InEachBrowser
	void pageShowsItIsConnectedAndOnlyEnablesSendThen(BrowserKind browserKind) {
		this.browser = browserKind.launch(1024, 768);
		BrowserPage page = openChatPage();
		assertThat(page.title()).isEqualTo("Stamp chat");
		assertThat(page.text("#status")).isEqualTo("Connected");
		assertThat(page.isEnabled("#send")).isTrue();
		assertThat(page.text("#messages")).contains("No messages yet");
	}

	private BrowserPage openChatPage() {
		BrowserPage page = this.browser.openPage();
		page.navigate("http://127.0.0.1:" + this.httpPort + "/");
		awaitConnected(page);
		return page;
	}

	/**
	 * The page connects to the WebSocket listener on its own port; waits until it says
	 * so.
	 */
	private static void awaitConnected(BrowserPage page) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(page.attribute("#status", "data-state")).isEqualTo("open"));
	}

	private static void send(BrowserPage page, String text) {
		page.type("#message", text);
		page.click("#send");
	}

	private static void awaitMessage(BrowserPage page, String text) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(page.text("#messages")).contains(text));
	}

	/** The chat messages a page shows, without their time stamps. */
	@SuppressWarnings("unchecked")
	private static List<String> messages(BrowserPage page) {
		return page.run("""
				return Array.from(document.querySelectorAll('#messages li:not(.empty)'),
				    (item) => item.innerText.replace(item.querySelector('time').innerText, '').trim());
				""", List.class);
	}

}
