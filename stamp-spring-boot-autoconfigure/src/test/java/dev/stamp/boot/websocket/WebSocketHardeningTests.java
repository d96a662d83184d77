package dev.stamp.boot.websocket;

import java.net.Socket;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.TricklingClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handshakes that RFC 6455 4.2.1 refuses, and a client too slow to read what it is sent,
 * against a real listener.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebSocketHardeningTests {

	private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

	private static final String VERSION = "Sec-WebSocket-Version: 13\r\n";

	private static final String UPGRADE = "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";

	@Test
	void malformedHandshakesAre400WithAReasonAndCounted(CapturedOutput output) {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			int port = WebSocketListenerTests.port(context);
			WebSocketListener listener = context.getBean(WebSocketListener.class);
			assertRefused(port, "GET /echo HTTP/1.1\r\n" + UPGRADE + VERSION + "\r\n", 400, "Sec-WebSocket-Key");
			assertRefused(port, "GET /echo HTTP/1.1\r\n" + UPGRADE + VERSION + "Sec-WebSocket-Key: not-base64!\r\n\r\n",
					400, "Sec-WebSocket-Key");
			// base64 of 15 bytes, not 16
			assertRefused(port,
					"GET /echo HTTP/1.1\r\n" + UPGRADE + VERSION + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA\r\n\r\n",
					400, "Sec-WebSocket-Key");
			assertRefused(port, "GET /echo HTTP/1.1\r\n" + UPGRADE + KEY + "\r\n", 400, "Sec-WebSocket-Version");
			assertRefused(port, "POST /echo HTTP/1.1\r\n" + UPGRADE + VERSION + KEY + "Content-Length: 0\r\n\r\n", 400,
					"GET");
			assertRefused(port, "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
					+ "Connection: keep-alive\r\n" + VERSION + KEY + "\r\n", 400, "Connection: Upgrade");
			assertRefused(port, "GET /echo HTTP/1.0\r\n" + UPGRADE + VERSION + KEY + "\r\n", 400, "HTTP/1.1");
			assertThat(listener.peerErrors().count("bad-handshake")).isEqualTo(7);
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				client.sendText("valid handshake");
				assertThat(client.readText()).isEqualTo("valid handshake");
			}
		});
		assertThat(output.getAll()).doesNotContain("NullPointerException").doesNotContain("\tat ");
	}

	@Test
	void handshakesThatCouldBeFramedTwoWaysAreRefusedLikeAnyHttpRequest() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			int port = WebSocketListenerTests.port(context);
			WebSocketListener listener = context.getBean(WebSocketListener.class);
			// RFC 9112 6.3: a request whose final transfer coding is not chunked cannot
			// be framed, and what follows it would otherwise be read as a second request.
			String smuggled = "GET /echo HTTP/1.1\r\n" + UPGRADE + VERSION + KEY + "Transfer-Encoding: xchunked\r\n\r\n"
					+ RawWebSocketClient.upgradeRequest("/echo", "");
			assertThat(RawWebSocketClient.exchange(port, smuggled)).startsWith("HTTP/1.1 400 ")
				.containsIgnoringCase("Connection: close")
				.doesNotContain("101");
			// RFC 9112 3.2: an HTTP/1.1 request without Host
			assertThat(RawWebSocketClient.exchange(port,
					"GET /echo HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + VERSION + KEY + "\r\n"))
				.startsWith("HTTP/1.1 400 ");
			assertThat(listener.peerErrors().total()).isEqualTo(2);
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				client.sendText("still served");
				assertThat(client.readText()).isEqualTo("still served");
			}
		});
	}

	@Test
	void tricklingHandshakeIsAnswered408AfterTheHandshakeTimeout() {
		StampContextRunner.create()
			.withUserConfiguration(Routes.class)
			.withPropertyValues("stamp.websocket.handshake-timeout=1s")
			.run((context) -> {
				int port = WebSocketListenerTests.port(context);
				WebSocketListener listener = context.getBean(WebSocketListener.class);
				try (Socket socket = new Socket("127.0.0.1", port)) {
					// 100 ms a byte: far longer than a second for the whole request
					String answer = TricklingClient.trickle(socket,
							RawWebSocketClient.upgradeRequest("/echo", "X-Slow: " + "s".repeat(100) + "\r\n"));
					assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("Connection: close");
				}
				assertThat(listener.peerErrors().total()).isEqualTo(1);
				try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
					client.sendText("still served");
					assertThat(client.readText()).isEqualTo("still served");
				}
			});
	}

	@Test
	void unsupportedVersionIs426NamingVersion13() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			int port = WebSocketListenerTests.port(context);
			String response = RawWebSocketClient.exchange(port,
					"GET /echo HTTP/1.1\r\n" + UPGRADE + KEY + "Sec-WebSocket-Version: 8\r\n\r\n");
			// Netty would accept the drafts' versions 7 and 8
			assertThat(response).startsWith("HTTP/1.1 426 ").containsIgnoringCase("Sec-WebSocket-Version: 13\r\n");
			assertThat(RawWebSocketClient.exchange(port,
					"GET /echo HTTP/1.1\r\n" + UPGRADE + KEY + "Sec-WebSocket-Version: 14\r\n\r\n"))
				.startsWith("HTTP/1.1 426 ")
				.containsIgnoringCase("Sec-WebSocket-Version: 13\r\n");
			// Firefox sends Connection: keep-alive, Upgrade
			assertThat(RawWebSocketClient.exchange(port,
					"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
							+ "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" + VERSION + KEY + "\r\n"))
				.startsWith("HTTP/1.1 101 ");
			// The answers from before the RFC checks stay as they were
			assertThat(RawWebSocketClient.exchange(port, RawWebSocketClient.upgradeRequest("/nowhere", "")))
				.startsWith("HTTP/1.1 404 ");
			assertThat(RawWebSocketClient.exchange(port, "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
				.startsWith("HTTP/1.1 426 ");
		});
	}

	@Test
	void slowReaderGetsThe1013CloseFrameAfterWhatWasQueuedBeforeIt() {
		StampContextRunner.create()
			.withUserConfiguration(Routes.class)
			.withPropertyValues("stamp.websocket.max-pending-outbound=2MB",
					"stamp.websocket.slow-reader-close-timeout=60s")
			.run((context) -> {
				Routes routes = context.getBean(Routes.class);
				WebSocketListener listener = context.getBean(WebSocketListener.class);
				try (RawWebSocketClient client = RawWebSocketClient
					.connectWithReceiveBuffer(WebSocketListenerTests.port(context), "/flood", 4096)) {
					client.sendText("go");
					long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
					while (routes.flooded == null || routes.flooded.isOpen()) {
						assertThat(System.nanoTime()).as("slow reader detected").isLessThan(deadline);
						Thread.sleep(20);
					}
					// Stalled for longer than the half second after which the connection
					// used to be dropped, then reading again, slowly.
					Thread.sleep(1000);
					client.readSlowly(16 * 1024, 2);
					RawWebSocketClient.Frame close = client.awaitCloseFrame();
					assertThat(close).as("close frame after the queued data").isNotNull();
					assertThat(close.closeStatus()).isEqualTo(1013);
					assertThat(client.isEndOfStream()).isTrue();
				}
				assertThat(listener.peerErrors().count("slow-reader")).isEqualTo(1);
			});
	}

	@Test
	void frameSentBeforeTheHandshakeResponseFailsTheConnectionWith1002() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			int port = WebSocketListenerTests.port(context);
			// RFC 6455 4.1: the client must wait for the response. Without a guard, Netty
			// hands these bytes on past the WebSocket decoder and Reactor Netty leaks
			// them (the leak detector fails the test).
			try (RawWebSocketClient client = RawWebSocketClient.connectSendingEarly(port, "/echo",
					RawWebSocketClient.maskedFrame(true, 0, RawWebSocketClient.TEXT, "too early".getBytes()))) {
				assertThat(client.awaitClose()).isEqualTo(1002);
				assertThat(client.isEndOfStream()).isTrue();
			}
			assertThat(context.getBean(WebSocketListener.class).peerErrors().count("early-data")).isEqualTo(1);
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				client.sendText("waited");
				assertThat(client.readText()).isEqualTo("waited");
			}
		});
	}

	private static void assertRefused(int port, String request, int status, String reasonMentions) throws Exception {
		String response = RawWebSocketClient.exchange(port, request);
		assertThat(response).as(request).matches("(?s)HTTP/1\\.[01] " + status + " .*");
		assertThat(response).as(request).containsIgnoringCase("Content-Type: text/plain").contains(reasonMentions);
		if (response.startsWith("HTTP/1.1")) {
			// HTTP/1.0 closes by default
			assertThat(response).as(request).containsIgnoringCase("Connection: close");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		volatile WebSocketConnection flooded;

		@StampRoute("/echo")
		String echo(WebSocketConnection client, String message) {
			return message;
		}

		@StampRoute("/flood")
		void flood(WebSocketConnection client, String message) {
			this.flooded = client;
			String chunk = "z".repeat(64 * 1024);
			for (int i = 0; i < 1000 && client.isOpen(); i++) {
				client.send(chunk);
			}
		}

	}

}
