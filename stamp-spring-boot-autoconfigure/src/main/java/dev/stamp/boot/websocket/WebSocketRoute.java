package dev.stamp.boot.websocket;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.stamp.boot.routing.RouteArguments;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.topic.TopicMember;

/**
 * One WebSocket route: its handler method and the clients connected to it. Clients of the
 * same request path are each other's peers, a room: a route {@code /rooms/{name}} keeps
 * {@code /rooms/kitchen} and {@code /rooms/garden} apart. Each room is also a topic,
 * {@link WebSocketConnection#roomTopic(String)}, that its clients join: a broadcast is
 * published there and so reaches the room on every node. One object per route method,
 * shared by every WebSocket listener through {@link WebSocketRooms}.
 */
final class WebSocketRoute {

	private final RouteMethod method;

	private final Function<Call, Object[]> arguments;

	private final StampTopics topics;

	/**
	 * This node's clients of each request path; a room is removed when its last client
	 * leaves.
	 */
	private final Map<String, Set<NettyWebSocketConnection>> rooms = new ConcurrentHashMap<>();

	WebSocketRoute(RouteMethod method, StampTopics topics) {
		this.method = method;
		this.topics = topics;
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

	/**
	 * Joins a client to its room.
	 * @param connection the client
	 * @param afterOffset the offset the client resumes the room after, or {@code null} to
	 * join from now on
	 */
	void join(NettyWebSocketConnection connection, @Nullable String afterOffset) {
		this.rooms.compute(connection.path(), (path, room) -> {
			Set<NettyWebSocketConnection> joined = (room != null) ? room : ConcurrentHashMap.newKeySet();
			joined.add(connection);
			return joined;
		});
		String topic = WebSocketConnection.roomTopic(connection.path());
		if (afterOffset != null) {
			this.topics.join(topic, connection, connection.resumeRoom(afterOffset, this.topics.subscriberBufferSize()));
		}
		else {
			this.topics.join(topic, (TopicMember) connection);
		}
	}

	void leave(NettyWebSocketConnection connection) {
		this.topics.leave(WebSocketConnection.roomTopic(connection.path()), (TopicMember) connection);
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
	 * Sends a text message to every client of one request path, on every node.
	 * @param path the request path
	 * @param text the message
	 */
	void broadcast(String path, String text) {
		this.topics.publish(WebSocketConnection.roomTopic(path), text);
	}

	/**
	 * Sends a binary message to every client of one request path, on every node; copies
	 * the bytes once, and every client's frame wraps that copy.
	 * @param path the request path
	 * @param data the message
	 */
	void broadcast(String path, byte[] data) {
		this.topics.publish(WebSocketConnection.roomTopic(path), data);
	}

	private record Call(NettyWebSocketConnection connection, WebSocketMessage message) {
	}

}
