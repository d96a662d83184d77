package dev.stamp.test.app;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.boot.webtransport.WebTransportEchoRoute;
import dev.stamp.webtransport.WebTransportSession;

/**
 * The smallest application with a route of each protocol, for the test clients' own
 * tests.
 */
@SpringBootApplication
public class TestClientsApplication {

	@Bean
	Routes routes() {
		return new Routes();
	}

	/** One route per protocol (two for WebSocket: text and binary). */
	public static class Routes {

		private final WebTransportEchoRoute webTransportEcho = new WebTransportEchoRoute();

		/** TCP: echoes every byte until the client closes its side. */
		@StampRoute
		public void echo(TcpConnection connection) {
			byte[] data = connection.read(1024);
			while (data.length > 0) {
				connection.send(data);
				data = connection.read(1024);
			}
		}

		/** WebSocket {@code /echo}: answers text, and closes with 4000 on "bye". */
		@StampRoute("/echo")
		public String echo(WebSocketConnection client, String message) {
			if ("bye".equals(message)) {
				client.close(4000, "bye to you");
				return null;
			}
			return "Echo: " + message;
		}

		/** WebSocket {@code /reverse}: answers bytes with the same bytes reversed. */
		@StampRoute("/reverse")
		public byte[] reverse(WebSocketConnection client, byte[] message) {
			byte[] reversed = new byte[message.length];
			for (int i = 0; i < message.length; i++) {
				reversed[i] = message[message.length - 1 - i];
			}
			return reversed;
		}

		/** HTTP {@code /hello?name=}: a greeting, as text. */
		@StampRoute("/hello")
		public String hello(HttpRequest request) {
			String name = request.queryParameter("name");
			return "Hello, " + ((name != null) ? name : request.bodyAsString()) + "!";
		}

		/** WebTransport {@code /echo}: every stream and datagram echoed. */
		@StampRoute("/echo")
		public Mono<Void> echo(WebTransportSession session) {
			return this.webTransportEcho.echo(session);
		}

	}

}
