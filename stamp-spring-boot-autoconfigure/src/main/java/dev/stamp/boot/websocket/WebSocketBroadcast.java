package dev.stamp.boot.websocket;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Sends one message to many clients: the message is encoded once and every client gets a
 * retained duplicate of the same buffer, so a broadcast costs one copy however many
 * clients it reaches.
 */
final class WebSocketBroadcast {

	private WebSocketBroadcast() {
	}

	/**
	 * Sends a text message to every client.
	 * @param clients the clients
	 * @param text the message
	 */
	static void text(Iterable<NettyWebSocketConnection> clients, String text) {
		send(clients, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), NettyWebSocketConnection::sendText);
	}

	/**
	 * Sends a binary message to every client; the bytes are copied once, so the array may
	 * be reused as soon as this returns.
	 * @param clients the clients
	 * @param data the message
	 */
	static void binary(Iterable<NettyWebSocketConnection> clients, byte[] data) {
		send(clients, Unpooled.copiedBuffer(data), NettyWebSocketConnection::sendBinary);
	}

	private static void send(Iterable<NettyWebSocketConnection> clients, ByteBuf payload,
			BiConsumer<NettyWebSocketConnection, ByteBuf> send) {
		try {
			for (NettyWebSocketConnection client : clients) {
				send.accept(client, payload.retainedDuplicate());
			}
		}
		finally {
			payload.release();
		}
	}

}
