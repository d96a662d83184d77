package dev.stamp.sample.echo;

import org.springframework.stereotype.Component;

import dev.stamp.boot.StampRoute;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.websocket.WebSocketConnection;

/**
 * The spec's echo servers: raw TCP and WebSocket. One class serves both protocols; Stamp
 * tells them apart by the parameter types.
 */
@Component
public class EchoRoutes {

	/**
	 * TCP: sends every byte back until the client closes its side, like the spec's
	 * {@code echo_handler}. It runs on its own (virtual or pooled) thread, so the
	 * blocking read loop is fine.
	 * @param connection the client's connection, read until end of stream
	 */
	@StampRoute
	public void echo(TcpConnection connection) {
		// read() returns an empty array at end of stream: the client is done, and
		// returning closes our side.
		byte[] data = connection.read(1024);
		while (data.length > 0) {
			connection.send(data);
			data = connection.read(1024);
		}
	}

	/**
	 * WebSocket {@code /echo}: answers each message with {@code "Echo: <message>"}; the
	 * returned text is the reply.
	 * @param client the sender, who alone gets the reply
	 * @param message the text the client sent
	 * @return the reply to send
	 */
	@StampRoute("/echo")
	public String echo(WebSocketConnection client, String message) {
		return "Echo: " + message;
	}

}
