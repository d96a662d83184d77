package dev.stamp.boot.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.topic.JoinedMember;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.topic.TopicStreamFrames;
import dev.stamp.boot.websocket.TestWebSocketClient;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.boot.webtransport.WebTransportTopics;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebSocket rooms and WebTransport sessions on topics across two nodes, each a context of
 * its own with real listeners, on one real Redis.
 */
class TopicMembersClusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String KITCHEN = WebSocketConnection.roomTopic("/chat/kitchen");

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	private static ClusterTestNode alpha;

	private static ClusterTestNode beta;

	@BeforeAll
	static void startNodes() {
		alpha = start("members-alpha");
		beta = start("members-beta");
		await().atMost(TIMEOUT).until(() -> alpha.topics().isReceivingRemote() && beta.topics().isReceivingRemote());
	}

	@AfterAll
	static void stopNodes() {
		for (ClusterTestNode node : new ClusterTestNode[] { alpha, beta }) {
			if (node != null) {
				node.close();
			}
		}
	}

	private static ClusterTestNode start(String nodeId) {
		return ClusterTestNode.start(redis, nodeId, new Class<?>[] { Routes.class });
	}

	@Test
	void aBroadcastReachesTheRoomOnEveryNodeAndNoOtherRoom() throws Exception {
		TestWebSocketClient speaker = connect(alpha, "/chat/kitchen");
		TestWebSocketClient listener = connect(beta, "/chat/kitchen");
		TestWebSocketClient gardener = connect(beta, "/chat/garden");
		try {
			await().atMost(TIMEOUT)
				.until(() -> nodesOf(alpha, KITCHEN).containsAll(List.of("members-alpha", "members-beta")));
			speaker.send("hi");
			assertThat(speaker.nextText()).isEqualTo("kitchen: hi");
			assertThat(listener.nextText()).isEqualTo("kitchen: hi");
			// The kitchen's message reached beta before this one: a leak would come
			// first.
			gardener.send("hello");
			assertThat(gardener.nextText()).isEqualTo("garden: hello");
		}
		finally {
			speaker.close();
			listener.close();
			gardener.close();
		}
	}

	@Test
	void aWebTransportSessionOnOneNodeGetsWhatAnotherNodePublishesInOrder() throws Exception {
		try (WebTransportClient client = TopicStreamFrames.client(beta.context().getEnvironment())) {
			WebTransportSession session = client.connect(url(beta, "/feed/prices")).block(TIMEOUT);
			await().atMost(TIMEOUT).until(() -> nodesOf(alpha, "prices").equals(List.of("members-beta")));
			int count = 300;
			IntStream.range(0, count).forEach((i) -> alpha.topics().publish("prices", "price-" + i));
			TopicStreamFrames.Opened opened = TopicStreamFrames.accept(session, TIMEOUT);
			assertThat(opened.topic()).isEqualTo("prices");
			for (int i = 0; i < count; i++) {
				assertThat(opened.frames().nextText()).isEqualTo("price-" + i);
			}
			session.close(0, "done").block(TIMEOUT);
			await().atMost(TIMEOUT).until(() -> nodesOf(alpha, "prices").isEmpty());
		}
	}

	@Test
	void presenceListsTheMembersOfEveryNodeUntilTheirNodeDies() throws Exception {
		String topic = WebSocketConnection.roomTopic("/chat/porch");
		TestWebSocketClient onAlpha = connect(alpha, "/chat/porch");
		try (ClusterTestNode gamma = start("members-gamma")) {
			TestWebSocketClient onGamma = connect(gamma, "/chat/porch");
			TestWebSocketClient alsoOnGamma = connect(gamma, "/chat/porch");
			await().atMost(TIMEOUT).until(() -> alpha.topics().presence(topic).block(TIMEOUT).size() == 3);
			List<JoinedMember> members = beta.topics().presence(topic).block(TIMEOUT);
			assertThat(members).extracting(JoinedMember::nodeId)
				.containsExactly("members-alpha", "members-gamma", "members-gamma");
			gamma.halt();
			await().atMost(TIMEOUT).until(() -> nodesOf(beta, topic).equals(List.of("members-alpha")));
			onGamma.close();
			alsoOnGamma.close();
		}
		finally {
			onAlpha.close();
		}
	}

	private static List<String> nodesOf(ClusterTestNode node, String topic) {
		return node.topics().presence(topic).block(TIMEOUT).stream().map(JoinedMember::nodeId).distinct().toList();
	}

	private static TestWebSocketClient connect(ClusterTestNode node, String path) {
		return TestWebSocketClient.connect(node.port(StampProtocol.WEBSOCKET), path);
	}

	private static URI url(ClusterTestNode node, String path) {
		return URI.create("https://127.0.0.1:" + node.port(StampProtocol.WEBTRANSPORT) + path);
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		private final StampTopics topics;

		private final WebTransportTopics webTransportTopics;

		Routes(StampTopics topics, WebTransportTopics webTransportTopics) {
			this.topics = topics;
			this.webTransportTopics = webTransportTopics;
		}

		@StampRoute("/chat/{room}")
		void chat(WebSocketConnection client, String message) {
			client.broadcast(client.pathVariable("room") + ": " + message);
		}

		@StampRoute("/feed/{topic}")
		Mono<Void> feed(WebTransportSession session) {
			this.webTransportTopics.join(session.pathVariable("topic"), session);
			return session.closeSignal().then();
		}

	}

}
