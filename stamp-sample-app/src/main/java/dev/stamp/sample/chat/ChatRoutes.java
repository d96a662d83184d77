package dev.stamp.sample.chat;

import org.springframework.stereotype.Component;

import dev.stamp.boot.StampRoute;
import dev.stamp.boot.websocket.WebSocketConnection;

/**
 * WebSocket {@code /chat}: every message goes to every client connected to {@code /chat},
 * the sender included, as {@code "User: <message>"} (the spec's chat server).
 * {@code /chat/{room}} is the same chat in rooms of their own: a message sent to
 * {@code /chat/kitchen} reaches the clients of {@code /chat/kitchen} only, prefixed with
 * the room, as {@code "[kitchen] User: <message>"}.
 * <p>
 * The browser page lets people pick a name. That is a small extension rather than a
 * second protocol: a message {@code "/name Alice"} sets the sender's display name (kept
 * in the connection's attributes) and is not broadcast; later messages then read
 * {@code "Alice: <message>"}. Clients that never send it see exactly the spec's format.
 */
@Component
public class ChatRoutes {

	static final String DEFAULT_NAME = "User";

	static final String NAME_COMMAND = "/name ";

	static final int MAX_NAME_LENGTH = 32;

	private static final String NAME_ATTRIBUTE = "chat.name";

	@StampRoute("/chat")
	public void chat(WebSocketConnection client, String message) {
		say(client, message, "");
	}

	/**
	 * Each path of the template is a room: broadcast() reaches its clients only.
	 * @param client the client that sent the message
	 * @param message the message received
	 */
	@StampRoute("/chat/{room}")
	public void room(WebSocketConnection client, String message) {
		say(client, message, "[" + client.pathVariable("room") + "] ");
	}

	private static void say(WebSocketConnection client, String message, String prefix) {
		if (message.startsWith(NAME_COMMAND)) {
			client.attributes().put(NAME_ATTRIBUTE, cleanName(message.substring(NAME_COMMAND.length())));
			return;
		}
		Object name = client.attributes().getOrDefault(NAME_ATTRIBUTE, DEFAULT_NAME);
		// broadcast() encodes once and queues for every peer without blocking, so a slow
		// reader cannot hold up the rest.
		client.broadcast(prefix + name + ": " + message);
	}

	/**
	 * Trims, drops control characters and caps the length; a blank name falls back to the
	 * default.
	 * @param requested the name the client asked for, may be blank
	 * @return a name safe to show to the room
	 */
	static String cleanName(String requested) {
		String name = requested.replaceAll("\\p{Cntrl}", "").strip();
		if (name.length() > MAX_NAME_LENGTH) {
			name = name.substring(0, MAX_NAME_LENGTH).strip();
		}
		return name.isEmpty() ? DEFAULT_NAME : name;
	}

}
