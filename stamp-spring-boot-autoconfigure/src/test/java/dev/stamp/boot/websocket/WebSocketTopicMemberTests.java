package dev.stamp.boot.websocket;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.topic.StampTopics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebSocket client joined to a topic that stops reading is cut off by the connection's
 * own rule, {@code max-pending-outbound}, and leaves the topic, while the topic's other
 * receivers get everything.
 */
class WebSocketTopicMemberTests {

	@Test
	void aMemberThatStopsReadingIsDisconnectedAndLeavesTheTopic() {
		StampContextRunner.create()
			.withUserConfiguration(Routes.class)
			.withPropertyValues("stamp.websocket.max-pending-outbound=256KB",
					"stamp.websocket.slow-reader-close-timeout=1s")
			.run((context) -> {
				StampTopics topics = context.getBean(StampTopics.class);
				int port = StampContextRunner.port(context, StampProtocol.WEBSOCKET);
				try (Socket socket = new Socket()) {
					// Before connecting, or the TCP window is already agreed.
					socket.setReceiveBufferSize(4096);
					socket.connect(new InetSocketAddress("127.0.0.1", port));
					socket.getOutputStream()
						.write(RawWebSocketClient.upgradeRequest("/join", "").getBytes(StandardCharsets.US_ASCII));
					assertThat(RawWebSocketClient.readHeaders(socket.getInputStream())).startsWith("HTTP/1.1 101");
					socket.getOutputStream()
						.write(RawWebSocketClient.maskedFrame(true, 0, 1, RawWebSocketClient.utf8("news")));
					await().atMost(Duration.ofSeconds(10))
						.until(() -> topics.presence("news").block(Duration.ofSeconds(10)).size() == 1);
					List<Integer> received = new CopyOnWriteArrayList<>();
					topics.subscribe("news").subscribe((message) -> received.add(message.payload().length));
					byte[] chunk = new byte[64 * 1024];
					int published = 0;
					while (!topics.presence("news").block(Duration.ofSeconds(10)).isEmpty()) {
						assertThat(published).as("messages before the member was cut off").isLessThan(10_000);
						topics.publish("news", chunk);
						published++;
					}
					assertThat(received).hasSize(published);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> context.getBean(WebSocketListener.class).connectedClients() == 0);
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		private final StampTopics topics;

		Routes(StampTopics topics) {
			this.topics = topics;
		}

		@StampRoute("/join")
		void join(WebSocketConnection client, String topic) {
			this.topics.join(topic, client);
		}

	}

}
