package dev.stamp.benchmarks;

import java.time.Duration;

/**
 * The client side of the WebTransport figures against one peer: Stamp's own WebTransport
 * client for the WebTransport servers (Stamp and Flupke, so that both meet the same
 * client), a raw Netty QUIC client for the raw QUIC echo. What to send, how to check it
 * and what to count is shared ({@link StreamEcho}, {@link DatagramWindow},
 * {@link WebTransportLoad}); an implementation only moves the bytes.
 */
interface EchoClient extends AutoCloseable {

	/**
	 * Opens a new QUIC connection and, on a WebTransport server, a session on it (for raw
	 * QUIC the connection is the session). Blocks until established; not on an event
	 * loop.
	 */
	Session open() throws Exception;

	/** Closes every connection and releases the client's threads. */
	@Override
	void close();

	/** One session, on its own QUIC connection. Thread-safe. */
	interface Session extends AutoCloseable {

		/**
		 * Opens a bidirectional stream (blocking until opened) and runs the echo on it:
		 * sends chunks while the stream is writable and the echo
		 * {@link StreamEcho#hasRoom() has room}, ends the stream once the echo is
		 * {@link StreamEcho#stopping() stopping} (telling it
		 * {@link StreamEcho#senderFinished()}), hands back everything received and the
		 * server's FIN.
		 */
		void startStreamEcho(StreamEcho echo) throws Exception;

		/**
		 * Echoes one message on a new bidirectional stream (FIN after it) and returns
		 * what came back before FIN.
		 */
		byte[] echoOnce(byte[] message, Duration timeout) throws Exception;

		/**
		 * Hands every datagram received to the window and starts it with this session as
		 * its sender.
		 */
		void startDatagrams(DatagramWindow window);

		/** Whether the connection and session are still open. */
		boolean isOpen();

		/** Closes the QUIC connection (which ends the session); blocks briefly. */
		@Override
		void close();

	}

}
