package dev.stamp.boot.websocket;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Every WebSocket client connected right now, over every route and every WebSocket
 * listener: to list them, find one by {@link WebSocketConnection#id() id}, send to it or
 * close it from anywhere in the application, and to broadcast to all of them. The ids are
 * those of {@code /actuator/stamp/websocket/connections}.
 * <p>
 * Thread-safe; nothing here blocks, so it may be called from any thread, an event loop
 * included. Listings are snapshots in order of connection. <pre class="code">
 * &#64;Scheduled(fixedRate = 30_000)
 * void announce() {
 *     connections.broadcast("Server time: " + Instant.now());
 * }
 * </pre>
 */
public final class WebSocketConnections {

	private final ConcurrentSkipListMap<Long, NettyWebSocketConnection> connections = new ConcurrentSkipListMap<>();

	/**
	 * Tracks a connection until it closes.
	 * @param connection a connection whose handshake completed
	 */
	void register(NettyWebSocketConnection connection) {
		long id = Long.parseLong(connection.id());
		this.connections.put(id, connection);
		connection.whenClosed(() -> this.connections.remove(id, connection));
	}

	/**
	 * The connected clients.
	 * @return the clients, in order of connection
	 */
	public List<WebSocketConnection> list() {
		return List.copyOf(this.connections.values());
	}

	/**
	 * The clients of one route.
	 * @param route the route's path as declared, for example {@code /rooms/{name}}
	 * @return the clients, in order of connection
	 */
	public List<WebSocketConnection> listByRoute(String route) {
		return select((connection) -> connection.route().equals(route));
	}

	/**
	 * The clients of one request path, a room.
	 * @param path the request path, for example {@code /rooms/kitchen}
	 * @return the clients, in order of connection
	 */
	public List<WebSocketConnection> listByPath(String path) {
		return select((connection) -> connection.path().equals(path));
	}

	private List<WebSocketConnection> select(Predicate<WebSocketConnection> filter) {
		return this.connections.values().stream().filter(filter).map(WebSocketConnection.class::cast).toList();
	}

	/**
	 * The number of connected clients.
	 * @return the number of clients
	 */
	public int count() {
		return this.connections.size();
	}

	/**
	 * Finds a connected client.
	 * @param id the connection's id
	 * @return the client, or empty if no client of that id is connected
	 */
	public Optional<WebSocketConnection> find(String id) {
		return Optional.ofNullable(get(id));
	}

	/**
	 * Sends a text message to one client.
	 * @param id the connection's id
	 * @param text the message
	 * @return {@code true} if the client was connected and the message queued for it
	 */
	public boolean send(String id, String text) {
		NettyWebSocketConnection connection = get(id);
		if (connection == null) {
			return false;
		}
		connection.send(text);
		return true;
	}

	/**
	 * Sends a binary message to one client.
	 * @param id the connection's id
	 * @param data the message
	 * @return {@code true} if the client was connected and the message queued for it
	 */
	public boolean send(String id, byte[] data) {
		NettyWebSocketConnection connection = get(id);
		if (connection == null) {
			return false;
		}
		connection.send(data);
		return true;
	}

	/**
	 * Starts the closing handshake with one client.
	 * @param id the connection's id
	 * @param status a WebSocket close status, for example 1000 or an application code
	 * from 4000 to 4999
	 * @param reason a short reason, at most 123 bytes as UTF-8
	 * @return {@code true} if the client was connected
	 */
	public boolean close(String id, int status, String reason) {
		NettyWebSocketConnection connection = get(id);
		if (connection == null) {
			return false;
		}
		connection.close(status, reason);
		return true;
	}

	/**
	 * Sends a text message to every connected client, of every route; encodes it once.
	 * @param text the message
	 */
	public void broadcast(String text) {
		WebSocketBroadcast.text(this.connections.values(), text);
	}

	/**
	 * Sends a binary message to every connected client, of every route; the bytes are
	 * copied once, so the array may be reused as soon as this returns.
	 * @param data the message
	 */
	public void broadcast(byte[] data) {
		WebSocketBroadcast.binary(this.connections.values(), data);
	}

	private @Nullable NettyWebSocketConnection get(String id) {
		try {
			return this.connections.get(Long.parseLong(id));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
