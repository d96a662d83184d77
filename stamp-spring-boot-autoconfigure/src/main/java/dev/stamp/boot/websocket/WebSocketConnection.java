package dev.stamp.boot.websocket;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One connected WebSocket client, as a message handler sees it.
 * <p>
 * {@code send} never blocks: frames are queued for the client, and a client that lets
 * more than {@code stamp.websocket.max-pending-outbound} pile up is disconnected with
 * status 1013, so one slow reader cannot stall a broadcast or grow the server's memory.
 * <pre class="code">
 * &#64;StampRoute("/chat")
 * void chat(WebSocketConnection client, String message) {
 *     client.broadcast("User: " + message);
 * }
 * </pre>
 */
public interface WebSocketConnection {

	/**
	 * An id unique within the application, for logs and maps.
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
	 * Groups captured by a pattern route ({@code "~/rooms/(\\w+)"}); empty for exact
	 * paths.
	 * @return the captured groups, in order
	 */
	List<String> pathParameters();

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
	 * Every client connected to the same route right now, this one included.
	 * @return the connected clients
	 */
	Collection<WebSocketConnection> peers();

	/**
	 * Sends a text message to every client of the same route, this one included.
	 * @param text the message
	 */
	void broadcast(String text);

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
