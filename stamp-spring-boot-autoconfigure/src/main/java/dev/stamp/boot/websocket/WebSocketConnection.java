package dev.stamp.boot.websocket;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampProtocolParameter;
import dev.stamp.core.PathVariables;

/**
 * One connected WebSocket client, as a message handler sees it.
 * <p>
 * {@code send} never blocks: frames are queued for the client, and a client that lets
 * more than {@code stamp.websocket.max-pending-outbound} pile up is disconnected with
 * status 1013, so one slow reader cannot stall a broadcast or grow the server's memory.
 * <p>
 * Every client is a member of its room, the topic {@link #roomTopic(String)} of its
 * request path in {@link dev.stamp.boot.topic.StampTopics}: {@code broadcast} publishes
 * there, so with {@code stamp.cluster.enabled} it reaches the room's clients on every
 * node, and code outside a handler can publish to a room the same way. <pre class="code">
 * &#64;StampRoute("/chat")
 * void chat(WebSocketConnection client, String message) {
 *     client.broadcast("User: " + message);
 * }
 * </pre>
 */
@StampProtocolParameter(StampProtocol.WEBSOCKET)
public interface WebSocketConnection {

	/**
	 * The subprotocol ({@code Sec-WebSocket-Protocol}) a client offers to receive topic
	 * messages, its room's included, as JSON envelopes that carry their topic and offset,
	 * and to resume its room after an offset with {@link #RESUME_PARAMETER}. Replies and
	 * {@link #send(String) send} stay raw frames.
	 */
	String TOPICS_SUBPROTOCOL = "stamp.topics.v1";

	/**
	 * The query parameter with which a {@link #TOPICS_SUBPROTOCOL} client resumes its
	 * room after the offset of the last message it got.
	 */
	String RESUME_PARAMETER = "stamp-offset";

	/**
	 * The topic of the room of a request path, which every client of that path joins:
	 * {@code websocket:/rooms/kitchen} for the clients of {@code /rooms/kitchen}.
	 * @param path the request path
	 * @return the room's topic
	 */
	static String roomTopic(String path) {
		return "websocket:" + path;
	}

	/**
	 * An id unique within the application, for logs and maps: the connection's id in
	 * {@code /actuator/stamp/websocket/connections}, by which
	 * {@link WebSocketConnections#find(String)} finds it.
	 * @return the connection's id
	 */
	String id();

	/**
	 * The client's address.
	 * @return the client's address
	 */
	InetSocketAddress remoteAddress();

	/**
	 * The path the client connected to.
	 * @return the path
	 */
	String path();

	/**
	 * The path of the route that serves the client, as declared: {@code /rooms/{name}}
	 * for a client of {@code /rooms/kitchen}.
	 * @return the route's path
	 */
	String route();

	/**
	 * The route's path variables by name, in the route's order: {@code name} for a client
	 * of {@code /rooms/kitchen} routed by {@code /rooms/{name}}; empty for exact paths.
	 * @return the path variables by name
	 */
	Map<String, String> pathVariables();

	/**
	 * The value of one path variable.
	 * @param name the variable's name as declared in the route path
	 * @return the value, never {@code null}
	 * @throws IllegalArgumentException if the route has no variable of that name
	 */
	default String pathVariable(String name) {
		return PathVariables.require(pathVariables(), name);
	}

	/**
	 * Per-connection attributes, for the application's own state.
	 * @return the mutable attributes
	 */
	Map<String, Object> attributes();

	/**
	 * Sends a text message.
	 * @param text the message
	 */
	void send(String text);

	/**
	 * Sends a binary message.
	 * @param data the message
	 */
	void send(byte[] data);

	/**
	 * Every client connected to the same request path of this node right now, this one
	 * included: with a route {@code /rooms/{name}}, the clients of {@code /rooms/kitchen}
	 * only. The room's clients on other nodes of a cluster are not here:
	 * {@link dev.stamp.boot.topic.StampTopics#presence(String) presence} of
	 * {@link #roomTopic(String)} lists them.
	 * @return the connected clients of this node
	 */
	Collection<WebSocketConnection> peers();

	/**
	 * Sends a text message to every client of the same request path, this one included,
	 * on every node of the cluster.
	 * @param text the message
	 */
	void broadcast(String text);

	/**
	 * Sends a binary message to every client of the same request path, this one included,
	 * on every node of the cluster; the bytes are copied once, so the array may be reused
	 * as soon as this returns.
	 * @param data the message
	 */
	void broadcast(byte[] data);

	/** Closes with status 1000 (normal closure). */
	default void close() {
		close(1000, "");
	}

	/**
	 * Starts the closing handshake.
	 * @param status a WebSocket close status, for example 1000 or an application code
	 * from 4000 to 4999
	 * @param reason a short reason, at most 123 bytes as UTF-8
	 */
	void close(int status, String reason);

	/**
	 * Whether the connection is open.
	 * @return {@code true} while open
	 */
	boolean isOpen();

}
