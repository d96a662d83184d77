package dev.stamp.boot.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.stamp.boot.routing.RouteArguments;
import dev.stamp.boot.routing.RouteMethod;

/**
 * One WebSocket route: its handler method and the clients connected to it, who are each
 * other's peers.
 */
final class WebSocketRoute {

	private final RouteMethod method;

	private final Function<Call, Object[]> arguments;

	private final Set<NettyWebSocketConnection> connections = ConcurrentHashMap.newKeySet();

	private final Collection<WebSocketConnection> view = Collections.unmodifiableSet(this.connections);

	WebSocketRoute(RouteMethod method) {
		this.method = method;
		this.arguments = new RouteArguments<Call>().supply(WebSocketConnection.class, Call::connection)
			.supply(String.class, (call) -> call.message().asText())
			.supply(byte[].class, (call) -> call.message().bytes())
			.supply(WebSocketMessage.class, Call::message)
			.bind(method);
	}

	RouteMethod method() {
		return this.method;
	}

	Object[] arguments(NettyWebSocketConnection connection, WebSocketMessage message) {
		return this.arguments.apply(new Call(connection, message));
	}

	void join(NettyWebSocketConnection connection) {
		this.connections.add(connection);
	}

	void leave(NettyWebSocketConnection connection) {
		this.connections.remove(connection);
	}

	Collection<WebSocketConnection> connections() {
		return this.view;
	}

	Set<NettyWebSocketConnection> openConnections() {
		return this.connections;
	}

	/**
	 * Encodes the message once and hands every client a duplicate of the same buffer.
	 * @param text the message
	 */
	void broadcast(String text) {
		ByteBuf payload = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
		try {
			for (NettyWebSocketConnection connection : this.connections) {
				connection.sendText(payload.retainedDuplicate());
			}
		}
		finally {
			payload.release();
		}
	}

	private record Call(NettyWebSocketConnection connection, WebSocketMessage message) {
	}

}
