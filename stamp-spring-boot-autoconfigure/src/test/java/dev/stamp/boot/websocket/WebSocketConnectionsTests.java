package dev.stamp.boot.websocket;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.routing.StampRoutes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WebSocketConnections} over real sockets on 127.0.0.1, with the JDK's WebSocket
 * client: what it lists, and what it sends and closes.
 */
class WebSocketConnectionsTests {

	@Test
	void listsEveryConnectedClientWithItsPathAndRouteUnderTheActuatorsIds() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			WebSocketConnections connections = context.getBean(WebSocketConnections.class);
			TestWebSocketClient kitchen = TestWebSocketClient.connect(port(context), "/rooms/kitchen");
			TestWebSocketClient alsoKitchen = TestWebSocketClient.connect(port(context), "/rooms/kitchen");
			TestWebSocketClient garden = TestWebSocketClient.connect(port(context), "/rooms/garden");
			TestWebSocketClient whoami = TestWebSocketClient.connect(port(context), "/whoami");
			awaitCount(connections, 4);

			assertThat(connections.list()).extracting(WebSocketConnection::path)
				.containsExactly("/rooms/kitchen", "/rooms/kitchen", "/rooms/garden", "/whoami");
			assertThat(connections.list()).extracting(WebSocketConnection::route)
				.containsExactly("/rooms/{name}", "/rooms/{name}", "/rooms/{name}", "/whoami");
			assertThat(connections.listByRoute("/rooms/{name}")).hasSize(3);
			assertThat(connections.listByPath("/rooms/kitchen")).hasSize(2);
			assertThat(connections.listByPath("/rooms/cellar")).isEmpty();
			List<Map<String, Object>> actuator = context.getBean(WebSocketListener.class)
				.connections(0, 10)
				.connections();
			assertThat(connections.list()).extracting(WebSocketConnection::id)
				.containsExactlyElementsOf(
						actuator.stream().map((connection) -> connection.get("id").toString()).toList());
			String whoamiId = id(whoami);
			assertThat(connections.find(whoamiId)).get().extracting(WebSocketConnection::path).isEqualTo("/whoami");

			garden.socket.sendClose(1000, "leaving").join();
			assertThat(garden.awaitClose()).isEqualTo(1000);
			awaitCount(connections, 3);
			assertThat(connections.listByPath("/rooms/garden")).isEmpty();
			assertThat(connections.listByPath("/rooms/kitchen")).hasSize(2);
			kitchen.send("still here");
			assertThat(alsoKitchen.nextText()).isEqualTo("still here");
		});
	}

	@Test
	void sendReachesOnlyTheClientOfThatId() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			WebSocketConnections connections = context.getBean(WebSocketConnections.class);
			TestWebSocketClient first = TestWebSocketClient.connect(port(context), "/whoami");
			TestWebSocketClient second = TestWebSocketClient.connect(port(context), "/whoami");
			String firstId = id(first);
			String secondId = id(second);

			assertThat(connections.send(firstId, "just for you")).isTrue();
			assertThat(connections.send(firstId, new byte[] { 1, 2 })).isTrue();
			// Sent after the messages for the first client, from the same thread: had
			// they reached the second client too, they would be ahead of this.
			assertThat(connections.send(secondId, "marker")).isTrue();

			assertThat(first.nextText()).isEqualTo("just for you");
			assertThat(first.nextBinary()).containsExactly(1, 2);
			assertThat(second.nextText()).isEqualTo("marker");
		});
	}

	@Test
	void unknownIdsFindNothing() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			WebSocketConnections connections = context.getBean(WebSocketConnections.class);
			TestWebSocketClient client = TestWebSocketClient.connect(port(context), "/whoami");
			String id = id(client);

			assertThat(connections.find("not-an-id")).isEmpty();
			assertThat(connections.find(id + "0")).isEmpty();
			assertThat(connections.send(id + "0", "lost")).isFalse();
			assertThat(connections.close("x", 4000, "bye")).isFalse();
		});
	}

	@Test
	void closeGivesTheClientItsCodeAndReasonAndTheConnectionLeaves() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			WebSocketConnections connections = context.getBean(WebSocketConnections.class);
			TestWebSocketClient leaving = TestWebSocketClient.connect(port(context), "/whoami");
			TestWebSocketClient staying = TestWebSocketClient.connect(port(context), "/whoami");
			String leavingId = id(leaving);
			String stayingId = id(staying);

			assertThat(connections.close(leavingId, 4000, "bye")).isTrue();

			assertThat(leaving.awaitClose()).isEqualTo(4000);
			assertThat(leaving.closeReason).isEqualTo("bye");
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> connections.find(leavingId).isEmpty());
			assertThat(connections.list()).extracting(WebSocketConnection::id).containsExactly(stayingId);
		});
	}

	@Test
	void broadcastReachesEveryClientOfEveryRoute() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			WebSocketConnections connections = context.getBean(WebSocketConnections.class);
			TestWebSocketClient kitchen = TestWebSocketClient.connect(port(context), "/rooms/kitchen");
			TestWebSocketClient garden = TestWebSocketClient.connect(port(context), "/rooms/garden");
			TestWebSocketClient whoami = TestWebSocketClient.connect(port(context), "/whoami");
			awaitCount(connections, 3);

			connections.broadcast("to everyone");
			byte[] data = { 7, 8, 9 };
			connections.broadcast(data);
			data[0] = 0;

			for (TestWebSocketClient client : List.of(kitchen, garden, whoami)) {
				assertThat(client.nextText()).isEqualTo("to everyone");
				assertThat(client.nextBinary()).containsExactly(7, 8, 9);
			}
		});
	}

	@Test
	void clientsOfEveryWebSocketListenerShareOneRegistry() {
		StampContextRunner.create().withUserConfiguration(Routes.class, TwoListeners.class).run((context) -> {
			WebSocketConnections connections = context.getBean(WebSocketConnections.class);
			TwoListeners listeners = context.getBean(TwoListeners.class);
			TestWebSocketClient first = TestWebSocketClient.connect(listeners.first.port(), "/whoami");
			TestWebSocketClient second = TestWebSocketClient.connect(listeners.second.port(), "/rooms/lobby");
			String firstId = id(first);
			awaitCount(connections, 2);

			assertThat(connections.list()).extracting(WebSocketConnection::path)
				.containsExactly("/whoami", "/rooms/lobby");
			assertThat(connections.listByPath("/rooms/lobby").get(0).id()).isNotEqualTo(firstId);
			connections.broadcast("both listeners");
			assertThat(first.nextText()).isEqualTo("both listeners");
			assertThat(second.nextText()).isEqualTo("both listeners");
		});
	}

	private static int port(ApplicationContext context) {
		return WebSocketListenerTests.port(context);
	}

	/**
	 * The server's id of a client, as the route tells it: once it has answered, the
	 * connection is listed.
	 */
	private static String id(TestWebSocketClient client) throws InterruptedException {
		client.send("who am I?");
		return client.nextText();
	}

	private static void awaitCount(WebSocketConnections connections, int expected) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> connections.count() == expected);
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoListeners {

		WebSocketListener first;

		WebSocketListener second;

		@Bean
		WebSocketListener firstWebSocketListener(StampRoutes routes, WebSocketRooms rooms, ListenerContext context,
				WebSocketConnections connections) {
			this.first = new WebSocketListener(settings(), routes, rooms, context, List.of(), connections);
			return this.first;
		}

		@Bean
		WebSocketListener secondWebSocketListener(StampRoutes routes, WebSocketRooms rooms, ListenerContext context,
				WebSocketConnections connections) {
			this.second = new WebSocketListener(settings(), routes, rooms, context, List.of(), connections);
			return this.second;
		}

		private static WebSocketListenerSettings settings() {
			WebSocketListenerSettings settings = new WebSocketListenerSettings();
			settings.setHost("127.0.0.1");
			settings.setPort(0);
			return settings;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute("/whoami")
		String whoami(WebSocketConnection client, String message) {
			return client.id();
		}

		@StampRoute("/rooms/{name}")
		void room(WebSocketConnection client, String message) {
			client.broadcast(message);
		}

	}

}
