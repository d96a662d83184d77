package dev.stamp.boot.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicOffsets;
import dev.stamp.boot.topic.TopicStreamFrames;
import dev.stamp.boot.websocket.TestWebSocketClient;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.boot.webtransport.WebTransportTopics;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Offsets on the wire and resuming after a reconnect, for WebSocket clients that chose
 * {@link WebSocketConnection#TOPICS_SUBPROTOCOL} and for WebTransport sessions, across
 * nodes on one real Redis.
 */
class TopicRecoveryClusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|true|false|\\d+)");

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	private static ClusterTestNode alpha;

	private static ClusterTestNode beta;

	/** A node whose history keeps 3 messages. */
	private static ClusterTestNode small;

	@BeforeAll
	static void startNodes() {
		alpha = start("recovery-alpha", "100");
		beta = start("recovery-beta", "100");
		small = start("recovery-small", "3");
		await().atMost(TIMEOUT)
			.until(() -> List.of(alpha, beta, small).stream().allMatch((node) -> node.topics().isReceivingRemote()));
	}

	@AfterAll
	static void stopNodes() {
		for (ClusterTestNode node : new ClusterTestNode[] { alpha, beta, small }) {
			if (node != null) {
				node.close();
			}
		}
	}

	private static ClusterTestNode start(String nodeId, String historySize) {
		return ClusterTestNode.start(redis, nodeId, new Class<?>[] { Routes.class },
				"stamp.cluster.history.size=" + historySize, "stamp.cluster.history.ttl=1m",
				TopicHistoryClusterTests.SLOW_MACHINE);
	}

	@Test
	void aWebSocketClientGetsOffsetsAndResumesWhereItLeft() throws Exception {
		String room = WebSocketConnection.roomTopic("/chat/lobby");
		TestWebSocketClient plain = connect(beta, "/chat/lobby", null, false);
		TestWebSocketClient client = connect(beta, "/chat/lobby", null, true);
		assertThat(client.subprotocol()).isEqualTo(WebSocketConnection.TOPICS_SUBPROTOCOL);
		assertThat(plain.subprotocol()).isEmpty();
		awaitMembers(alpha, room, 2);
		IntStream.range(0, 3).forEach((i) -> alpha.topics().publish(room, "before-" + i));
		String last = null;
		for (int i = 0; i < 3; i++) {
			Envelope envelope = Envelope.parse(client.nextText());
			assertThat(envelope.topic()).isEqualTo(room);
			assertThat(envelope.text()).isEqualTo("before-" + i);
			assertThat(last == null || TopicOffsets.compare(envelope.offset(), last) > 0).isTrue();
			last = envelope.offset();
			assertThat(plain.nextText()).isEqualTo("before-" + i);
		}
		client.close();
		awaitMembers(alpha, room, 1);
		IntStream.range(0, 5).forEach((i) -> alpha.topics().publish(room, "missed-" + i));
		awaitInHistory(alpha, room, last, "missed-4");
		TestWebSocketClient resumed = connect(beta, "/chat/lobby", last, true);
		try {
			Envelope recovery = Envelope.parse(resumed.nextText());
			assertThat(recovery.fields()).containsEntry("topic", room)
				.containsEntry("recovered", "true")
				.containsEntry("replayed", "5");
			List<String> texts = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				Envelope envelope = Envelope.parse(resumed.nextText());
				assertThat(TopicOffsets.compare(envelope.offset(), last)).isPositive();
				last = envelope.offset();
				texts.add(envelope.text());
			}
			assertThat(texts).containsExactly("missed-0", "missed-1", "missed-2", "missed-3", "missed-4");
			awaitMembers(alpha, room, 2);
			// The route's broadcast is live: it follows the replayed ones, once each.
			resumed.send("live");
			Envelope live = Envelope.parse(resumed.nextText());
			assertThat(live.text()).isEqualTo("lobby: live");
			assertThat(TopicOffsets.compare(live.offset(), last)).isPositive();
			alpha.topics().publish(room, "end");
			assertThat(Envelope.parse(resumed.nextText()).text()).isEqualTo("end");
			for (int i = 0; i < 5; i++) {
				assertThat(plain.nextText()).isEqualTo("missed-" + i);
			}
			assertThat(plain.nextText()).isEqualTo("lobby: live");
			assertThat(plain.nextText()).isEqualTo("end");
		}
		finally {
			resumed.close();
			plain.close();
		}
	}

	@Test
	void aWebSocketClientIsToldWhenTheHistoryNoLongerReachesBack() throws Exception {
		String room = WebSocketConnection.roomTopic("/chat/attic");
		TestWebSocketClient client = connect(beta, "/chat/attic", null, true);
		awaitMembers(small, room, 1);
		small.topics().publish(room, "first");
		String last = Envelope.parse(client.nextText()).offset();
		client.close();
		awaitMembers(small, room, 0);
		IntStream.range(0, 10).forEach((i) -> small.topics().publish(room, "missed-" + i));
		awaitInHistory(small, room, last, "missed-9");
		TestWebSocketClient resumed = connect(beta, "/chat/attic", last, true);
		try {
			Envelope recovery = Envelope.parse(resumed.nextText());
			assertThat(recovery.fields()).containsEntry("recovered", "false").containsEntry("replayed", "3");
			assertThat(Envelope.parse(resumed.nextText()).text()).isEqualTo("missed-7");
			assertThat(Envelope.parse(resumed.nextText()).text()).isEqualTo("missed-8");
			assertThat(Envelope.parse(resumed.nextText()).text()).isEqualTo("missed-9");
		}
		finally {
			resumed.close();
		}
	}

	@Test
	void aBadResumeOffsetClosesWith1008() throws Exception {
		TestWebSocketClient client = connect(beta, "/chat/cellar", "yesterday", true);
		assertThat(client.awaitClose()).isEqualTo(1008);
	}

	@Test
	void aWebTransportSessionGetsOffsetsAndResumesWhereItLeft() throws Exception {
		try (WebTransportClient client = TopicStreamFrames.client(beta.context().getEnvironment())) {
			WebTransportSession session = client.connect(url(beta, "/feed/quotes", null)).block(TIMEOUT);
			awaitMembers(alpha, "quotes", 1);
			IntStream.range(0, 3).forEach((i) -> alpha.topics().publish("quotes", "before-" + i));
			TopicStreamFrames frames = TopicStreamFrames.accept(session, TIMEOUT).frames();
			String last = null;
			for (int i = 0; i < 3; i++) {
				TopicStreamFrames.OffsetMessage message = frames.nextWithOffset();
				assertThat(message.text()).isEqualTo("before-" + i);
				assertThat(last == null || TopicOffsets.compare(message.offset(), last) > 0).isTrue();
				last = message.offset();
			}
			session.close(0, "gone").block(TIMEOUT);
			awaitMembers(alpha, "quotes", 0);
			IntStream.range(0, 5).forEach((i) -> alpha.topics().publish("quotes", "missed-" + i));
			awaitInHistory(alpha, "quotes", last, "missed-4");
			WebTransportSession resumed = client.connect(url(beta, "/feed/quotes", last)).block(TIMEOUT);
			TopicStreamFrames.Opened opened = TopicStreamFrames.accept(resumed, TIMEOUT);
			assertThat(opened.topic()).isEqualTo("quotes");
			assertThat(opened.frames().nextRecovery()).isEqualTo(new TopicStreamFrames.Recovery(true, 5));
			for (int i = 0; i < 5; i++) {
				TopicStreamFrames.OffsetMessage message = opened.frames().nextWithOffset();
				assertThat(message.text()).isEqualTo("missed-" + i);
				assertThat(TopicOffsets.compare(message.offset(), last)).isPositive();
				last = message.offset();
			}
			awaitMembers(alpha, "quotes", 1);
			alpha.topics().publish("quotes", "live");
			assertThat(opened.frames().nextWithOffset().text()).isEqualTo("live");
			resumed.close(0, "done").block(TIMEOUT);
		}
	}

	@Test
	void aWebTransportSessionIsToldWhenTheHistoryNoLongerReachesBack() throws Exception {
		try (WebTransportClient client = TopicStreamFrames.client(beta.context().getEnvironment())) {
			small.topics().publish("tickers", "first");
			String last = await().atMost(TIMEOUT)
				.until(() -> small.topics().latestOffset("tickers").block(TIMEOUT), (offset) -> offset != null);
			IntStream.range(0, 10).forEach((i) -> small.topics().publish("tickers", "missed-" + i));
			awaitInHistory(small, "tickers", last, "missed-9");
			WebTransportSession resumed = client.connect(url(beta, "/feed/tickers", last)).block(TIMEOUT);
			TopicStreamFrames.Opened opened = TopicStreamFrames.accept(resumed, TIMEOUT);
			TopicStreamFrames.Recovery recovery = opened.frames().nextRecovery();
			assertThat(recovery.complete()).isFalse();
			assertThat(recovery.replayed()).isEqualTo(3);
			assertThat(opened.frames().nextWithOffset().text()).isEqualTo("missed-7");
			resumed.close(0, "done").block(TIMEOUT);
		}
	}

	/** Publishing is asynchronous: waits until the history ends with a message. */
	private static void awaitInHistory(ClusterTestNode node, String topic, String afterOffset, String latest) {
		await().atMost(TIMEOUT).until(() -> {
			List<TopicMessage> messages = node.topics().history(topic, afterOffset).block(TIMEOUT).messages();
			return !messages.isEmpty() && messages.get(messages.size() - 1).text().equals(latest);
		});
	}

	private static void awaitMembers(ClusterTestNode node, String topic, int count) {
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(node.topics().presence(topic).block(TIMEOUT)).hasSize(count));
	}

	private static TestWebSocketClient connect(ClusterTestNode node, String path, @Nullable String offset,
			boolean enveloped) {
		int port = node.port(StampProtocol.WEBSOCKET);
		if (!enveloped) {
			return TestWebSocketClient.connect(port, path);
		}
		String query = (offset != null) ? "?" + WebSocketConnection.RESUME_PARAMETER + "=" + offset : "";
		return TestWebSocketClient.connectWithSubprotocol(port, path + query, WebSocketConnection.TOPICS_SUBPROTOCOL);
	}

	private static URI url(ClusterTestNode node, String path, @Nullable String offset) {
		String query = (offset != null) ? "?offset=" + offset : "";
		return URI.create("https://127.0.0.1:" + node.port(StampProtocol.WEBTRANSPORT) + path + query);
	}

	/**
	 * A flat JSON envelope's fields, as strings.
	 *
	 * @param fields the fields by name
	 */
	record Envelope(java.util.Map<String, String> fields) {

		static Envelope parse(String json) {
			java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
			Matcher matcher = FIELD.matcher(json);
			while (matcher.find()) {
				fields.put(matcher.group(1), (matcher.group(3) != null) ? matcher.group(3) : matcher.group(2));
			}
			assertThat(json).startsWith("{").endsWith("}");
			return new Envelope(fields);
		}

		String topic() {
			return this.fields.get("topic");
		}

		String offset() {
			String offset = this.fields.get("offset");
			assertThat(offset).as("offset of %s", this.fields).isNotNull();
			return offset;
		}

		String text() {
			return this.fields.get("text");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		private final WebTransportTopics webTransportTopics;

		Routes(StampTopics topics, WebTransportTopics webTransportTopics) {
			this.webTransportTopics = webTransportTopics;
		}

		@StampRoute("/chat/{room}")
		void chat(WebSocketConnection client, String message) {
			client.broadcast(client.pathVariable("room") + ": " + message);
		}

		@StampRoute("/feed/{topic}")
		Mono<Void> feed(WebTransportSession session) {
			String query = session.query();
			String topic = session.pathVariable("topic");
			if (query != null && query.startsWith("offset=")) {
				this.webTransportTopics.join(topic, session, query.substring("offset=".length()));
			}
			else {
				this.webTransportTopics.join(topic, session);
			}
			return session.closeSignal().then();
		}

	}

}
