package dev.stamp.boot.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binary messages as {@code docs/websocket.md} describes them: {@code byte[]} parameters,
 * {@code byte[]} replies and {@code broadcast(byte[])}.
 */
class WebSocketBinaryMessagesTests {

	@Test
	void binaryBroadcastReachesEveryClientOfTheRouteAsBinary() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			TestWebSocketClient first = TestWebSocketClient.connect(WebSocketListenerTests.port(context), "/frames");
			TestWebSocketClient second = TestWebSocketClient.connect(WebSocketListenerTests.port(context), "/frames");
			WebSocketListenerTests.awaitClients(context, 2);
			first.socket.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).join();
			assertThat(first.nextBinary()).containsExactly(1, 2, 3, 1, 2, 3);
			assertThat(second.nextBinary()).containsExactly(1, 2, 3, 1, 2, 3);
		});
	}

	@Test
	void aTextMessageReachesAByteArrayParameterAsUtf8AndAByteArrayReplyIsBinary() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			TestWebSocketClient client = TestWebSocketClient.connect(WebSocketListenerTests.port(context), "/length");
			client.send("héllo");
			assertThat(client.nextBinary()).containsExactly("héllo".getBytes(StandardCharsets.UTF_8).length);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		/** Broadcasts each message twice over; the array is reused at once. */
		@StampRoute("/frames")
		void frames(WebSocketConnection client, byte[] message) {
			byte[] doubled = new byte[message.length * 2];
			System.arraycopy(message, 0, doubled, 0, message.length);
			System.arraycopy(message, 0, doubled, message.length, message.length);
			client.broadcast(doubled);
			java.util.Arrays.fill(doubled, (byte) 0);
		}

		@StampRoute("/length")
		byte[] length(WebSocketConnection client, byte[] message) {
			return new byte[] { (byte) message.length };
		}

	}

}
