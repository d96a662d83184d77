package dev.stamp.boot.websocket;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket listener over real sockets on 127.0.0.1, with the JDK's WebSocket client.
 */
class WebSocketListenerTests {

	@Test
	void echoRouteRepliesToEachMessageInOrder() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			TestWebSocketClient client = TestWebSocketClient.connect(port(context), "/echo");
			for (int i = 0; i < 50; i++) {
				client.send("hello " + i);
			}
			for (int i = 0; i < 50; i++) {
				assertThat(client.nextText()).isEqualTo("Echo: hello " + i);
			}
		});
	}

	@Test
	void chatBroadcastReachesEveryClientOfTheRouteSenderIncluded() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			List<TestWebSocketClient> clients = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				clients.add(TestWebSocketClient.connect(port(context), "/chat"));
			}
			TestWebSocketClient echoClient = TestWebSocketClient.connect(port(context), "/echo");
			awaitClients(context, 5);
			clients.get(2).send("hi all");
			for (TestWebSocketClient client : clients) {
				assertThat(client.nextText()).isEqualTo("User: hi all");
			}
			// Handlers of one connection run one after the other: once every client has
			// the second broadcast, the first one's writes are all queued, to the echo
			// client's connection too if it were a peer, and its marker's reply would
			// come after.
			clients.get(2).send("and again");
			for (TestWebSocketClient client : clients) {
				assertThat(client.nextText()).isEqualTo("User: and again");
			}
			echoClient.send("marker");
			assertThat(echoClient.nextText()).as("other routes are not peers").isEqualTo("Echo: marker");
		});
	}

	@Test
	void reactiveHandlerAndBinaryMessagesAndPeers() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			TestWebSocketClient first = TestWebSocketClient.connect(port(context), "/binary");
			TestWebSocketClient second = TestWebSocketClient.connect(port(context), "/binary");
			awaitClients(context, 2);
			first.socket.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).join();
			assertThat(first.nextBinary()).containsExactly(3, 2, 1);
			TestWebSocketClient reactive = TestWebSocketClient.connect(port(context), "/upper");
			reactive.send("quiet");
			assertThat(reactive.nextText()).isEqualTo("QUIET");
			first.send("peers?");
			assertThat(first.nextText()).isEqualTo("2 peers");
			// Anything the handler had sent the second client for the first's messages
			// was queued before the first client's replies: it would arrive before this
			// one.
			second.send("peers?");
			assertThat(second.nextText()).as("replies go to the sender only").isEqualTo("2 peers");
		});
	}

	@Test
	void pathVariablesArriveAndEachPathOfATemplateIsARoomOfItsOwn() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			TestWebSocketClient kitchen = TestWebSocketClient.connect(port(context), "/rooms/kitchen");
			TestWebSocketClient alsoKitchen = TestWebSocketClient.connect(port(context), "/rooms/kitchen");
			TestWebSocketClient garden = TestWebSocketClient.connect(port(context), "/rooms/garden");
			awaitClients(context, 3);
			kitchen.send("hi");
			kitchen.send("again");
			assertThat(kitchen.nextText()).isEqualTo("kitchen: hi (2 here)");
			assertThat(alsoKitchen.nextText()).isEqualTo("kitchen: hi (2 here)");
			// Messages of one client are handled one at a time: once "again" arrives, the
			// broadcast of "hi" has been handed to every client it was ever going to
			// reach.
			assertThat(kitchen.nextText()).isEqualTo("kitchen: again (2 here)");
			assertThat(alsoKitchen.nextText()).isEqualTo("kitchen: again (2 here)");
			garden.send("hello");
			assertThat(garden.nextText()).as("the garden's first message is its own: nothing came from the kitchen")
				.isEqualTo("garden: hello (1 here)");
		});
	}

	@Test
	void oversizedMessageClosesWith1009AndOtherClientsKeepWorking() {
		StampContextRunner.create()
			.withUserConfiguration(Routes.class)
			.withPropertyValues("stamp.websocket.max-message-size=1KB")
			.run((context) -> {
				TestWebSocketClient bystander = TestWebSocketClient.connect(port(context), "/echo");
				TestWebSocketClient big = TestWebSocketClient.connect(port(context), "/echo");
				big.send("x".repeat(1024));
				assertThat(big.nextText()).hasSize(6 + 1024);
				big.send("x".repeat(1025));
				assertThat(big.awaitClose()).isEqualTo(1009);

				TestWebSocketClient fragmented = TestWebSocketClient.connect(port(context), "/echo");
				fragmented.socket.sendText("y".repeat(600), false).join();
				fragmented.socket.sendText("y".repeat(600), true).join();
				assertThat(fragmented.awaitClose()).as("joined fragments over the limit").isEqualTo(1009);

				bystander.send("still here");
				assertThat(bystander.nextText()).isEqualTo("Echo: still here");
			});
	}

	@Test
	void handshakeAnswersForUnknownPathsOriginsAndPlainRequests() {
		StampContextRunner.create()
			.withUserConfiguration(Routes.class)
			.withPropertyValues("stamp.websocket.allowed-origins=https://good.example")
			.run((context) -> {
				int port = port(context);
				assertThat(TestWebSocketClient.refusedStatus(port, "/nowhere", "https://good.example")).isEqualTo(404);
				assertThat(TestWebSocketClient.refusedStatus(port, "/echo", "https://evil.example")).isEqualTo(403);
				TestWebSocketClient good = TestWebSocketClient.connect(port, "/echo", "https://good.example");
				good.send("ok");
				assertThat(good.nextText()).isEqualTo("Echo: ok");
				HttpResponse<String> plain = HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.build()
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
						.header("Origin", "https://good.example")
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(plain.statusCode()).isEqualTo(426);
				assertThat(plain.headers().firstValue("Upgrade")).hasValue("websocket");
			});
	}

	@Test
	void handshakeOverMaxConnectionsIsAnswered503AndCounted() {
		StampContextRunner.create()
			.withUserConfiguration(Routes.class)
			.withPropertyValues("stamp.websocket.max-connections=2")
			.run((context) -> {
				TestWebSocketClient first = TestWebSocketClient.connect(port(context), "/echo");
				TestWebSocketClient second = TestWebSocketClient.connect(port(context), "/echo");
				assertThat(TestWebSocketClient.refusedStatus(port(context), "/echo", null)).isEqualTo(503);
				WebSocketListener listener = context.getBean(WebSocketListener.class);
				assertThat(listener.stats().refusedConnections()).isEqualTo(1);
				first.send("a");
				second.send("b");
				assertThat(first.nextText()).isEqualTo("Echo: a");
				assertThat(second.nextText()).isEqualTo("Echo: b");
				first.socket.sendClose(1000, "bye").join();
				awaitClients(context, 1);
				TestWebSocketClient third = TestWebSocketClient.connect(port(context), "/echo");
				third.send("c");
				assertThat(third.nextText()).isEqualTo("Echo: c");
			});
	}

	@Test
	void handlerExceptionClosesOnlyThatClientWith1011() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			TestWebSocketClient failing = TestWebSocketClient.connect(port(context), "/fails");
			TestWebSocketClient healthy = TestWebSocketClient.connect(port(context), "/echo");
			failing.send("anything");
			assertThat(failing.awaitClose()).isEqualTo(1011);
			healthy.send("fine");
			assertThat(healthy.nextText()).isEqualTo("Echo: fine");
		});
	}

	@Test
	void clientThatStopsReadingIsDisconnectedWith1013InsteadOfGrowingMemory() {
		StampContextRunner.create()
			.withUserConfiguration(Routes.class)
			.withPropertyValues("stamp.websocket.max-pending-outbound=256KB",
					"stamp.websocket.slow-reader-close-timeout=1s")
			.run((context) -> {
				// A raw socket that completes the handshake and then never reads: the
				// server's socket buffer fills, then the pending bytes reach the limit.
				try (Socket socket = new Socket("127.0.0.1", port(context))) {
					socket.setReceiveBufferSize(4096);
					socket.getOutputStream()
						.write(("GET /flood HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
								+ "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
								+ "Sec-WebSocket-Version: 13\r\n\r\n")
							.getBytes(StandardCharsets.US_ASCII));
					String handshake = RawWebSocketClient.readHeaders(socket.getInputStream());
					assertThat(handshake).startsWith("HTTP/1.1 101");
					socket.getOutputStream().write(maskedTextFrame("go"));
					Routes routes = context.getBean(Routes.class);
					long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
					while (routes.floodConnection == null || routes.floodConnection.isOpen()) {
						assertThat(System.nanoTime()).as("slow client disconnected in time").isLessThan(deadline);
						Thread.sleep(20);
					}
					assertThat(routes.floodSent).isLessThan(200);
					WebSocketListener listener = context.getBean(WebSocketListener.class);
					while (listener.stats().activeConnections() > 0) {
						assertThat(System.nanoTime()).as("slow client's connection closed").isLessThan(deadline);
						Thread.sleep(20);
					}
				}
			});
	}

	@Test
	void stopSendsGoingAwayToConnectedClients() throws Exception {
		List<TestWebSocketClient> clients = new CopyOnWriteArrayList<>();
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			clients.add(TestWebSocketClient.connect(port(context), "/chat"));
			clients.add(TestWebSocketClient.connect(port(context), "/echo"));
			awaitClients(context, 2);
		});
		for (TestWebSocketClient client : clients) {
			assertThat(client.awaitClose()).isEqualTo(1001);
		}
	}

	private static byte[] maskedTextFrame(String text) {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[6 + payload.length];
		frame[0] = (byte) 0x81;
		frame[1] = (byte) (0x80 | payload.length);
		// Mask key 0: masking is mandatory for clients, the key's value is not.
		System.arraycopy(payload, 0, frame, 6, payload.length);
		return frame;
	}

	static int port(ApplicationContext context) {
		return StampContextRunner.port(context, StampProtocol.WEBSOCKET);
	}

	static void awaitClients(ApplicationContext context, int expected) throws InterruptedException {
		WebSocketListener listener = context.getBean(WebSocketListener.class);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (listener.connectedClients() != expected && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(listener.connectedClients()).isEqualTo(expected);
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		volatile WebSocketConnection floodConnection;

		volatile int floodSent;

		@StampRoute("/echo")
		String echo(WebSocketConnection client, String message) {
			return "Echo: " + message;
		}

		@StampRoute("/chat")
		void chat(WebSocketConnection client, String message) {
			client.broadcast("User: " + message);
		}

		@StampRoute("/binary")
		void binary(WebSocketConnection client, WebSocketMessage message) {
			if (message.text()) {
				client.send(client.peers().size() + " peers");
				return;
			}
			byte[] bytes = message.bytes();
			byte[] reversed = new byte[bytes.length];
			for (int i = 0; i < bytes.length; i++) {
				reversed[i] = bytes[bytes.length - 1 - i];
			}
			client.send(reversed);
		}

		@StampRoute("/upper")
		Mono<String> upper(WebSocketConnection client, String message) {
			return Mono.just(message.toUpperCase());
		}

		@StampRoute("/rooms/{name}")
		void room(WebSocketConnection client, String message) {
			client.broadcast(client.pathVariable("name") + ": " + message + " (" + client.peers().size() + " here)");
		}

		@StampRoute("/fails")
		void fails(WebSocketConnection client, String message) {
			throw new IllegalStateException("handler bug");
		}

		@StampRoute("/flood")
		void flood(WebSocketConnection client, String message) {
			this.floodConnection = client;
			String chunk = "z".repeat(64 * 1024);
			for (int i = 0; i < 1000 && client.isOpen(); i++) {
				client.send(chunk);
				this.floodSent = i + 1;
			}
		}

	}

}
