package com.example;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.webtransport.WebTransportSession;

/** The README's routes, one per protocol. */
@Component
public class Routes {

	@StampRoute
	public void echo(TcpConnection connection) {
		byte[] data = connection.read(1024);
		while (data.length > 0) {
			connection.send(data);
			data = connection.read(1024);
		}
	}

	@StampRoute("/chat")
	public void chat(WebSocketConnection client, String message) {
		client.broadcast("User: " + message);
	}

	@StampRoute(path = "/api/data", method = HttpMethod.GET)
	public Map<String, List<Integer>> data(HttpRequest request) {
		return Map.of("data", List.of(1, 2, 3));
	}

	@StampRoute("/echo")
	public Mono<Void> echo(WebTransportSession session) {
		return session.acceptedBidiStreams().flatMap((stream) -> stream.send(stream.receive())).then();
	}

}
