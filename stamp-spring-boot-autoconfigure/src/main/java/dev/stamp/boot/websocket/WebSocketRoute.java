package dev.stamp.boot.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import dev.stamp.boot.routing.RouteArguments;
import dev.stamp.boot.routing.RouteMethod;

/**
 * One WebSocket route: its handler method and the clients connected to it. Clients of the
 * same request path are each other's peers, a room: a route {@code /rooms/{name}} keeps
 * {@code /rooms/kitchen} and {@code /rooms/garden} apart. One object per route method,
 * shared by every WebSocket listener through {@link WebSocketRooms}.
 */
final class WebSocketRoute {

	private final RouteMethod method;

	private final Function<Call, Object[]> arguments;

	/**
	 * The clients of each request path; a room is removed when its last client leaves.
	 */
	private final Map<String, Set<NettyWebSocketConnection>> rooms = new ConcurrentHashMap<>();

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
		this.rooms.compute(connection.path(), (path, room) -> {
			Set<NettyWebSocketConnection> joined = (room != null) ? room : ConcurrentHashMap.newKeySet();
			joined.add(connection);
			return joined;
		});
	}

	void leave(NettyWebSocketConnection connection) {
		this.rooms.computeIfPresent(connection.path(), (path, room) -> {
			room.remove(connection);
			return room.isEmpty() ? null : room;
		});
	}

	/**
	 * The clients connected to one request path of this route right now.
	 * @param path the request path
	 * @return the connected clients
	 */
	Collection<WebSocketConnection> peers(String path) {
		Set<NettyWebSocketConnection> room = this.rooms.get(path);
		return (room != null) ? Collections.unmodifiableSet(room) : Set.of();
	}

	/**
	 * Sends a text message to every client of one request path; encodes it once and hands
	 * every client a duplicate of the same buffer.
	 * @param path the request path
	 * @param text the message
	 */
	void broadcast(String path, String text) {
		broadcast(path, () -> Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), NettyWebSocketConnection::sendText);
	}

	/**
	 * Sends a binary message to every client of one request path; copies the bytes once
	 * and hands every client a duplicate of the same buffer.
	 * @param path the request path
	 * @param data the message
	 */
	void broadcast(String path, byte[] data) {
		broadcast(path, () -> Unpooled.copiedBuffer(data), NettyWebSocketConnection::sendBinary);
	}

	private void broadcast(String path, Supplier<ByteBuf> encode, BiConsumer<NettyWebSocketConnection, ByteBuf> send) {
		Set<NettyWebSocketConnection> room = this.rooms.get(path);
		if (room == null) {
			return;
		}
		ByteBuf payload = encode.get();
		try {
			for (NettyWebSocketConnection connection : room) {
				send.accept(connection, payload.retainedDuplicate());
			}
		}
		finally {
			payload.release();
		}
	}

	private record Call(NettyWebSocketConnection connection, WebSocketMessage message) {
	}

}
