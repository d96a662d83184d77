package dev.stamp.boot.websocket;

import java.nio.charset.StandardCharsets;

/**
 * A complete WebSocket message (continuation frames already joined), for handlers that
 * accept both text and binary.
 *
 * @param text whether the message was sent as text
 * @param bytes the payload; UTF-8 for text messages
 */
public record WebSocketMessage(boolean text, byte[] bytes) {

	/**
	 * The payload as text: the message itself for text messages, UTF-8 decoded for binary
	 * ones.
	 */
	public String asText() {
		return new String(this.bytes, StandardCharsets.UTF_8);
	}

}
