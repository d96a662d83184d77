package dev.stamp.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.stamp.boot.cluster.RedisServerProcess;
import dev.stamp.sample.browser.Browser;
import dev.stamp.sample.browser.BrowserKind;
import dev.stamp.sample.browser.BrowserPage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application as a two-node cluster, as {@code scripts/run-cluster} runs it: a
 * real {@code redis-server} and two separate JVMs with the {@code cluster} profile, a
 * real browser on each node.
 */
class SampleAppClusterTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	private static SampleAppProcess nodeA;

	private static SampleAppProcess nodeB;

	private final List<Browser> browsers = new ArrayList<>();

	@BeforeAll
	static void startNodes() throws Exception {
		nodeA = SampleAppProcess.start(clusterNode("node-a"));
		nodeB = SampleAppProcess.start(clusterNode("node-b"));
	}

	@AfterAll
	static void stopNodes() throws Exception {
		for (SampleAppProcess node : new SampleAppProcess[] { nodeA, nodeB }) {
			if (node != null) {
				node.close();
			}
		}
	}

	@AfterEach
	void closeBrowsers() {
		this.browsers.forEach(Browser::close);
	}

	static List<String> clusterNode(String nodeId) {
		return List.of("--spring.profiles.active=cluster", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port(), "--stamp.cluster.node-id=" + nodeId,
				"--stamp.cluster.heartbeat=200ms", "--stamp.cluster.node-timeout=2s");
	}

	@Test
	void chatCrossesNodesBetweenAChromiumPageAndAFirefoxPage() {
		BrowserPage onA = openChatPage(BrowserKind.CHROMIUM, nodeA);
		BrowserPage onB = openChatPage(BrowserKind.FIREFOX, nodeB);
		assertThat(onA.text("#node")).isEqualTo("node node-a");
		assertThat(onB.text("#node")).isEqualTo("node node-b");

		send(onA, "Hello from node A");
		awaitMessage(onB, "User: Hello from node A");
		send(onB, "Hello back from node B");
		awaitMessage(onA, "User: Hello back from node B");
		// The sender sees its own message too, as on one node.
		awaitMessage(onA, "User: Hello from node A");
		awaitMessage(onB, "User: Hello back from node B");
	}

	private BrowserPage openChatPage(BrowserKind kind, SampleAppProcess node) {
		Browser browser = kind.launch(1024, 768);
		this.browsers.add(browser);
		BrowserPage page = browser.openPage();
		page.navigate("http://127.0.0.1:" + node.port("http") + "/");
		await().atMost(WAIT).untilAsserted(() -> assertThat(page.attribute("#status", "data-state")).isEqualTo("open"));
		return page;
	}

	private static void send(BrowserPage page, String text) {
		page.type("#message", text);
		page.click("#send");
	}

	private static void awaitMessage(BrowserPage page, String text) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(page.text("#messages")).contains(text));
	}

}
