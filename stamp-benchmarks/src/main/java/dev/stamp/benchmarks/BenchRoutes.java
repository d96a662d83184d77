package dev.stamp.benchmarks;

import reactor.core.publisher.Mono;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.tcp.ReactiveTcpConnection;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.websocket.WebSocketConnection;

/** The Stamp routes under test, in the two forms an application can write them. */
final class BenchRoutes {

	private BenchRoutes() {
	}

	/** Non-blocking routes: they return a Publisher and run on the event loop. */
	static class Reactive {

		@StampRoute
		Mono<Void> tcpEcho(ReactiveTcpConnection connection) {
			return connection.outbound().send(connection.inbound().receive().retain()).then();
		}

		@StampRoute(Payloads.ECHO_PATH)
		Mono<String> webSocketEcho(WebSocketConnection client, String message) {
			return Mono.just(message);
		}

		@StampRoute(path = Payloads.HELLO_PATH, method = HttpMethod.GET)
		Mono<String> hello(HttpRequest request) {
			return Mono.just(Payloads.HELLO);
		}

	}

	/**
	 * Blocking routes: plain return values, run off the event loop (virtual threads on
	 * 21+).
	 */
	static class Blocking {

		@StampRoute
		void tcpEcho(TcpConnection connection) {
			byte[] data = connection.read(16 * 1024);
			while (data.length > 0) {
				connection.send(data);
				data = connection.read(16 * 1024);
			}
		}

		@StampRoute(Payloads.ECHO_PATH)
		String webSocketEcho(WebSocketConnection client, String message) {
			return message;
		}

		@StampRoute(path = Payloads.HELLO_PATH, method = HttpMethod.GET)
		String hello(HttpRequest request) {
			return Payloads.HELLO;
		}

	}

	/**
	 * Chat rooms for the soak (next to {@link Reactive}): every message goes to every
	 * member of the room, the sender included.
	 */
	static class Rooms {

		/** The chat rooms: each path under {@value Payloads#ROOM_PATH} is one. */
		@StampRoute(Payloads.ROOM_PATH + "/{room}")
		void room(WebSocketConnection client, String message) {
			client.broadcast(message);
		}

	}

	/**
	 * Only the WebSocket echo, for the memory scenario. Reactive, so that on Java 17 the
	 * echo burst over thousands of connections is not limited by the bounded blocking
	 * pool (see docs/benchmarks.md).
	 */
	static class WebSocketOnly {

		@StampRoute(Payloads.ECHO_PATH)
		Mono<String> webSocketEcho(WebSocketConnection client, String message) {
			return Mono.just(message);
		}

	}

	/**
	 * The fan-out figure's room: every message a client sends is broadcast to the room's
	 * clients on every node, on the event loop.
	 */
	static class Room {

		@StampRoute(FanoutBenchmark.ROOM_PATH)
		Mono<Void> room(WebSocketConnection client, String message) {
			client.broadcast(message);
			return Mono.empty();
		}

	}

}
