package dev.stamp.boot.websocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StampWebSocketServerCustomizer} beans shape the WebSocket listener's server, in
 * order, for real connections.
 */
class StampWebSocketServerCustomizerTests {

	@Test
	void customizersRunInOrderOnEveryConnectionAndTheListenerStillServes() {
		StampContextRunner.create().withUserConfiguration(Echo.class, Recorders.class).run((context) -> {
			TestWebSocketClient client = TestWebSocketClient
				.connect(StampContextRunner.port(context, StampProtocol.WEBSOCKET), "/echo");
			client.send("hello");
			assertThat(client.nextText()).isEqualTo("hello");
			// Each customizer added a connection handler; they ran in @Order for this
			// client's connection.
			assertThat(context.getBean(Recorders.class).seen).containsExactly("first", "second");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Echo {

		@StampRoute("/echo")
		String echo(WebSocketConnection connection, String message) {
			return message;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Recorders {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		StampWebSocketServerCustomizer second() {
			return (server) -> server.doOnConnection((connection) -> this.seen.add("second"));
		}

		@Bean
		@Order(1)
		StampWebSocketServerCustomizer first() {
			return (server) -> server.doOnConnection((connection) -> this.seen.add("first"));
		}

	}

}
