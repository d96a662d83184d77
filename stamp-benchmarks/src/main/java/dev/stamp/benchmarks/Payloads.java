package dev.stamp.benchmarks;

import java.nio.charset.StandardCharsets;

/** What every peer serves, byte for byte. */
final class Payloads {

	/**
	 * HTTP: {@code GET /hello} answers this text as {@code text/plain; charset=UTF-8}.
	 */
	static final String HELLO = "Hello, World!";

	static final byte[] HELLO_BYTES = HELLO.getBytes(StandardCharsets.UTF_8);

	static final String HELLO_PATH = "/hello";

	static final String ECHO_PATH = "/echo";

	/** Chat rooms of the soak: {@code /room/<name>}. */
	static final String ROOM_PATH = "/room";

	/**
	 * Largest WebSocket message, for Stamp's default {@code max-message-size} and the raw
	 * peer alike.
	 */
	static final int MAX_WS_MESSAGE = 65536;

	private Payloads() {
	}

	/**
	 * An ASCII message of {@code size} bytes, distinct per connection so that a reply
	 * routed to the wrong connection is caught as a mismatch.
	 */
	static byte[] message(int connection, int size) {
		byte[] prefix = ("c" + connection + ":").getBytes(StandardCharsets.US_ASCII);
		byte[] message = new byte[size];
		for (int i = 0; i < size; i++) {
			message[i] = (i < prefix.length) ? prefix[i] : (byte) ('a' + (i % 26));
		}
		return message;
	}

}
