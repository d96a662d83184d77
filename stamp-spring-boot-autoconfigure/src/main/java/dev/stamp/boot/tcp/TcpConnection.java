package dev.stamp.boot.tcp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampProtocolParameter;

/**
 * One TCP connection, seen from a blocking handler. The handler runs on its own virtual
 * thread (Java 21+) or a pooled thread, never on a Netty event loop, so it may block
 * freely; when it returns the connection is closed, once every byte it sent has been
 * delivered. <pre class="code">
 * &#64;StampRoute
 * void echo(TcpConnection connection) {
 *     byte[] data;
 *     while ((data = connection.read(1024)).length &gt; 0) {
 *         connection.send(data);
 *     }
 * }
 * </pre>
 */
@StampProtocolParameter(StampProtocol.TCP)
public interface TcpConnection {

	/**
	 * The peer's address.
	 * @return the peer's address
	 */
	InetSocketAddress remoteAddress();

	/**
	 * Waits for data and returns what has arrived, at most {@code maxBytes}.
	 * @param maxBytes the most bytes to return; must be positive
	 * @return at least one byte, or an empty array once the peer has closed its side (end
	 * of stream)
	 * @throws java.io.UncheckedIOException if the connection failed (for example reset by
	 * the peer)
	 */
	byte[] read(int maxBytes);

	/**
	 * Sends bytes. Returns as soon as they are queued, unless the peer reads too slowly,
	 * in which case it waits until the queue drains: a slow peer slows its handler down
	 * instead of growing the server's memory.
	 * @param data the bytes
	 * @throws java.io.UncheckedIOException if the connection is closed
	 */
	void send(byte[] data);

	/**
	 * Sends text as UTF-8.
	 * @param text the text to send
	 */
	default void send(String text) {
		send(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Closes the connection once what was sent has been delivered; later sends throw and
	 * reads return end of stream.
	 */
	void close();

	/**
	 * Whether the connection is still open.
	 * @return {@code true} while open
	 */
	boolean isOpen();

}
