package dev.stamp.boot.topic;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.websocket.TestWebSocketClient;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.boot.webtransport.WebTransportTopics;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * WebSocket clients and WebTransport sessions as topic members on one node, without a
 * cluster, over real sockets on 127.0.0.1.
 */
class TopicMembersTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final ApplicationContextRunner runner = StampContextRunner.create().withUserConfiguration(Routes.class);

	@Test
	void broadcastReachesTheClientsOfItsRoomOnly() {
		this.runner.run((context) -> {
			int port = StampContextRunner.port(context, StampProtocol.WEBSOCKET);
			TestWebSocketClient kitchen = TestWebSocketClient.connect(port, "/chat/kitchen");
			TestWebSocketClient alsoKitchen = TestWebSocketClient.connect(port, "/chat/kitchen");
			TestWebSocketClient garden = TestWebSocketClient.connect(port, "/chat/garden");
			awaitMembers(context, WebSocketConnection.roomTopic("/chat/kitchen"), 2);
			awaitMembers(context, WebSocketConnection.roomTopic("/chat/garden"), 1);
			kitchen.send("hi");
			assertThat(kitchen.nextText()).isEqualTo("kitchen: hi");
			assertThat(alsoKitchen.nextText()).isEqualTo("kitchen: hi");
			garden.send("hello");
			assertThat(garden.nextText()).isEqualTo("garden: hello");
			// Anything the garden's broadcast had sent the kitchen would come first.
			alsoKitchen.send("again");
			assertThat(kitchen.nextText()).isEqualTo("kitchen: again");
			assertThat(alsoKitchen.nextText()).isEqualTo("kitchen: again");
		});
	}

	@Test
	void aClientJoinsAndLeavesATopicAndLeavesItsTopicsWhenItCloses() {
		this.runner.run((context) -> {
			StampTopics topics = context.getBean(StampTopics.class);
			int port = StampContextRunner.port(context, StampProtocol.WEBSOCKET);
			TestWebSocketClient client = TestWebSocketClient.connect(port, "/lobby");
			client.send("join");
			String id = client.nextText().substring("joined ".length());
			assertThat(topics.presence("news").block(TIMEOUT))
				.containsExactly(new JoinedMember(id, StampTopics.LOCAL_NODE_ID));
			topics.publish("news", "first");
			assertThat(client.nextText()).isEqualTo("first");
			client.send("leave");
			assertThat(client.nextText()).isEqualTo("left");
			topics.publish("news", "second");
			client.send("ping");
			assertThat(client.nextText()).isEqualTo("pong");
			assertThat(topics.presence("news").block(TIMEOUT)).isEmpty();
			client.send("join");
			client.nextText();
			client.close();
			awaitMembers(context, "news", 0);
			awaitMembers(context, WebSocketConnection.roomTopic("/lobby"), 0);
		});
	}

	@Test
	void aWebTransportSessionReceivesItsTopicInOrderUntilItCloses() {
		// The burst is published faster than QUIC takes it: the buffer holds all of it.
		this.runner.withPropertyValues("stamp.topics.subscriber-buffer-size=1024").run((context) -> {
			StampTopics topics = context.getBean(StampTopics.class);
			try (WebTransportClient client = TopicStreamFrames.client(context.getEnvironment())) {
				WebTransportSession session = client.connect(url(context, "/feed/ticker")).block(TIMEOUT);
				awaitMembers(context, "ticker", 1);
				int count = 300;
				IntStream.range(0, count).forEach((i) -> topics.publish("ticker", "tick-" + i));
				topics.publish("ticker", new byte[] { 1, 2, 3 });
				TopicStreamFrames.Opened opened = TopicStreamFrames.accept(session, TIMEOUT);
				assertThat(opened.topic()).isEqualTo("ticker");
				for (int i = 0; i < count; i++) {
					assertThat(opened.frames().nextText()).isEqualTo("tick-" + i);
				}
				TopicStreamFrames.Frame binary = opened.frames().next();
				assertThat(binary.type()).isEqualTo(WebTransportTopics.FRAME_BINARY);
				assertThat(binary.payload()).containsExactly(1, 2, 3);
				session.close(0, "done").block(TIMEOUT);
				awaitMembers(context, "ticker", 0);
			}
		});
	}

	@Test
	void aWebTransportSessionThatDoesNotReadIsCutOffWithoutSlowingTheOthers() {
		this.runner.withPropertyValues("stamp.topics.subscriber-buffer-size=16").run((context) -> {
			StampTopics topics = context.getBean(StampTopics.class);
			try (WebTransportClient client = TopicStreamFrames.client(context.getEnvironment())) {
				WebTransportSession session = client.connect(url(context, "/feed/flood")).block(TIMEOUT);
				awaitMembers(context, "flood", 1);
				List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
				topics.subscribe("flood").subscribe((message) -> received.add(message.topic()));
				byte[] chunk = new byte[64 * 1024];
				// The session never reads: once QUIC's windows are full its messages
				// wait, and the seventeenth waiting one cuts it off.
				int count = 500;
				for (int i = 0; i < count; i++) {
					topics.publish("flood", chunk);
				}
				assertThat(received).hasSize(count);
				awaitMembers(context, "flood", 0);
				TopicStreamFrames.Opened opened = TopicStreamFrames.accept(session, TIMEOUT);
				assertThatExceptionOfType(WebTransportStreamException.class).isThrownBy(() -> {
					while (opened.frames().next() != null) {
						// Reads what arrived before the reset.
					}
				}).withMessageContaining("1013");
			}
		});
	}

	@Test
	void aWebTransportSessionThatLeavesGetsTheEndOfItsStream() {
		this.runner.run((context) -> {
			StampTopics topics = context.getBean(StampTopics.class);
			try (WebTransportClient client = TopicStreamFrames.client(context.getEnvironment())) {
				WebTransportSession session = client.connect(url(context, "/feed/brief")).block(TIMEOUT);
				awaitMembers(context, "brief", 1);
				topics.publish("brief", "only");
				TopicStreamFrames.Opened opened = TopicStreamFrames.accept(session, TIMEOUT);
				assertThat(opened.frames().nextText()).isEqualTo("only");
				String memberId = topics.presence("brief").block(TIMEOUT).get(0).id();
				assertThat(memberId).startsWith("wt-");
				Routes routes = context.getBean(Routes.class);
				context.getBean(WebTransportTopics.class).leave("brief", routes.sessions.get(0));
				assertThat(opened.frames().next()).isNull();
				assertThat(topics.presence("brief").block(TIMEOUT)).isEmpty();
			}
		});
	}

	private static void awaitMembers(ApplicationContext context, String topic, int count) {
		StampTopics topics = context.getBean(StampTopics.class);
		await().atMost(TIMEOUT).until(() -> topics.presence(topic).block(TIMEOUT).size() == count);
	}

	private static URI url(ApplicationContext context, String path) {
		return URI.create("https://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.WEBTRANSPORT) + path);
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		private final StampTopics topics;

		private final WebTransportTopics webTransportTopics;

		final List<WebTransportSession> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();

		Routes(StampTopics topics, WebTransportTopics webTransportTopics) {
			this.topics = topics;
			this.webTransportTopics = webTransportTopics;
		}

		@StampRoute("/chat/{room}")
		void chat(WebSocketConnection client, String message) {
			client.broadcast(client.pathVariable("room") + ": " + message);
		}

		@StampRoute("/lobby")
		String lobby(WebSocketConnection client, String message) {
			switch (message) {
				case "join" -> {
					this.topics.join("news", client);
					return "joined " + client.id();
				}
				case "leave" -> {
					this.topics.leave("news", client);
					return "left";
				}
				default -> {
					return "pong";
				}
			}
		}

		@StampRoute("/feed/{topic}")
		Mono<Void> feed(WebTransportSession session) {
			this.sessions.add(session);
			this.webTransportTopics.join(session.pathVariable("topic"), session);
			return session.closeSignal().then();
		}

	}

}
