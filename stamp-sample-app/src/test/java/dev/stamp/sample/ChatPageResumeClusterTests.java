package dev.stamp.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
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
 * The chat page resumes after the last offset it saw when its socket drops: on a two-node
 * cluster with history, a page on node B whose socket is closed gets the messages sent on
 * node A meanwhile exactly once, in order, after it reconnects by itself.
 */
class ChatPageResumeClusterTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	private static SampleAppProcess nodeA;

	private static SampleAppProcess nodeB;

	@BeforeAll
	static void startNodes() throws Exception {
		nodeA = SampleAppProcess.start(clusterNode("resume-a"));
		nodeB = SampleAppProcess.start(clusterNode("resume-b"));
	}

	@AfterAll
	static void stopNodes() throws Exception {
		for (SampleAppProcess node : new SampleAppProcess[] { nodeA, nodeB }) {
			if (node != null) {
				node.close();
			}
		}
	}

	private static List<String> clusterNode(String nodeId) {
		return List.of("--spring.profiles.active=cluster", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port(), "--stamp.cluster.node-id=" + nodeId,
				"--stamp.cluster.heartbeat=200ms", "--stamp.cluster.node-timeout=2s");
	}

	@Test
	void aPageWhoseSocketDroppedShowsWhatWasSentMeanwhileOnceAndInOrder() {
		WebSocket sender = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + nodeA.port("websocket") + "/chat"), new WebSocket.Listener() {
			})
			.join();
		try (Browser browser = BrowserKind.CHROMIUM.launch(1024, 768)) {
			BrowserPage page = browser.openPage();
			page.navigate("http://127.0.0.1:" + nodeB.port("http") + "/");
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(page.attribute("#status", "data-state")).isEqualTo("open"));
			// A first message gives the page an offset to resume after.
			await().atMost(WAIT).untilAsserted(() -> {
				sender.sendText("warm-up", true).join();
				assertThat(page.text("#messages")).contains("warm-up");
			});
			page.run("window.stampChat.dropSocket(); return true;", Boolean.class);
			await().atMost(WAIT).until(() -> !"open".equals(page.attribute("#status", "data-state")));
			for (String text : List.of("missed-1", "missed-2", "missed-3")) {
				sender.sendText(text, true).join();
			}
			await().atMost(WAIT).untilAsserted(() -> assertThat(page.text("#messages")).contains("missed-3"));
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(page.attribute("#status", "data-state")).isEqualTo("open"));
			String messages = page.text("#messages");
			assertThat(messages).doesNotContain("history no longer reaches back");
			int first = messages.indexOf("missed-1");
			int second = messages.indexOf("missed-2");
			int third = messages.indexOf("missed-3");
			assertThat(first).isPositive().isLessThan(second);
			assertThat(second).isLessThan(third);
			for (String text : List.of("missed-1", "missed-2", "missed-3")) {
				assertThat(messages.indexOf(text)).as(text + " once").isEqualTo(messages.lastIndexOf(text));
			}
		}
		finally {
			sender.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		}
	}

}
