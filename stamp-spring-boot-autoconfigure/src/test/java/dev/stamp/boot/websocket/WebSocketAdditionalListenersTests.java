package dev.stamp.boot.websocket;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.listener.StampListenerRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket listeners of one application share their routes' rooms: a broadcast reaches
 * the clients of every listener, and stopping one listener closes only its own clients.
 */
class WebSocketAdditionalListenersTests {

	private final ApplicationContextRunner runner = StampContextRunner.create()
		.withUserConfiguration(Routes.class)
		.withPropertyValues("stamp.websocket.additional-listeners[0].host=127.0.0.1",
				"stamp.websocket.additional-listeners[0].port=0");

	@Test
	void broadcastReachesTheClientsOfEveryListener() {
		this.runner.run((context) -> {
			int main = StampContextRunner.port(context, StampProtocol.WEBSOCKET);
			int additional = additionalPort(context);
			TestWebSocketClient onMain = TestWebSocketClient.connect(main, "/chat");
			TestWebSocketClient onAdditional = TestWebSocketClient.connect(additional, "/chat");
			TestWebSocketClient alsoOnAdditional = TestWebSocketClient.connect(additional, "/chat");
			awaitClients(context, "websocket", 1);
			awaitClients(context, "websocket-0", 2);
			onMain.send("from main");
			for (TestWebSocketClient client : List.of(onMain, onAdditional, alsoOnAdditional)) {
				assertThat(client.nextText()).isEqualTo("User: from main");
			}
			alsoOnAdditional.send("from additional");
			for (TestWebSocketClient client : List.of(onMain, onAdditional, alsoOnAdditional)) {
				assertThat(client.nextText()).isEqualTo("User: from additional");
			}
			TestWebSocketClient kitchen = TestWebSocketClient.connect(main, "/rooms/kitchen");
			TestWebSocketClient alsoKitchen = TestWebSocketClient.connect(additional, "/rooms/kitchen");
			awaitClients(context, "websocket-0", 3);
			alsoKitchen.send("hi");
			assertThat(kitchen.nextText()).isEqualTo("kitchen: hi (2 here)");
			assertThat(alsoKitchen.nextText()).isEqualTo("kitchen: hi (2 here)");
		});
	}

	@Test
	void removingAListenerClosesOnlyItsOwnClientsWithGoingAway() {
		StampContextRunner.create().withUserConfiguration(Routes.class).run((context) -> {
			StampListenerRegistry registry = context.getBean(StampListenerRegistry.class);
			WebSocketListenerSettings settings = new WebSocketListenerSettings();
			settings.setHost("127.0.0.1");
			settings.setPort(0);
			StampListener added = registry.add(StampProtocol.WEBSOCKET, settings);
			TestWebSocketClient onMain = TestWebSocketClient.connect(port(context), "/chat");
			TestWebSocketClient onAdded = TestWebSocketClient.connect(added.port(), "/chat");
			awaitClients(context, "websocket", 1);
			awaitClients(context, added.name(), 1);
			onAdded.send("before");
			assertThat(onMain.nextText()).isEqualTo("User: before");
			assertThat(onAdded.nextText()).isEqualTo("User: before");
			assertThat(registry.remove(StampProtocol.WEBSOCKET, "127.0.0.1", added.port())).isTrue();
			assertThat(onAdded.awaitClose()).isEqualTo(WebSocketListener.STATUS_GOING_AWAY);
			onMain.send("after");
			assertThat(onMain.nextText()).isEqualTo("User: after");
			assertThat(onMain.closeStatus).as("the main listener's client stays connected").isNotDone();
		});
	}

	private static int port(ApplicationContext context) {
		return StampContextRunner.port(context, StampProtocol.WEBSOCKET);
	}

	private static int additionalPort(ApplicationContext context) {
		return context.getEnvironment()
			.getRequiredProperty("local.stamp.websocket.additional-listeners[0].port", Integer.class);
	}

	private static void awaitClients(ApplicationContext context, String name, int expected) {
		WebSocketListener listener = (WebSocketListener) context.getBean(StampListenerRegistry.class)
			.listeners()
			.stream()
			.filter((candidate) -> candidate.name().equals(name))
			.findFirst()
			.orElseThrow();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listener.connectedClients() == expected);
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute("/chat")
		void chat(WebSocketConnection client, String message) {
			client.broadcast("User: " + message);
		}

		@StampRoute("/rooms/{name}")
		void room(WebSocketConnection client, String message) {
			client.broadcast(client.pathVariable("name") + ": " + message + " (" + client.peers().size() + " here)");
		}

	}

}
