package dev.stamp.test.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Opens plain TCP connections to a Stamp TCP listener, for tests. <pre class="code">
 * try (StampTcpTestConnection connection = tcp.connect()) {
 *     connection.send("Hello");
 *     assertThat(connection.readText(5)).isEqualTo("Hello");
 * }
 * </pre> Every connect and read waits at most the client's timeout, then fails the test.
 */
public final class StampTcpTestClient {

	private final StampListenerAddress address;

	private final Duration timeout;

	/**
	 * A client for a listener.
	 * @param address the listener
	 * @param timeout how long a connect or a read may wait
	 */
	public StampTcpTestClient(StampListenerAddress address, Duration timeout) {
		this.address = address;
		this.timeout = timeout;
	}

	/**
	 * The listener this client connects to.
	 * @return the listener's address
	 */
	public StampListenerAddress address() {
		return this.address;
	}

	/**
	 * Opens a connection to the listener.
	 * @return the connection; close it when done
	 * @throws UncheckedIOException if the listener does not accept in time
	 */
	public StampTcpTestConnection connect() {
		Socket socket = new Socket();
		try {
			int timeoutMillis = Math.toIntExact(this.timeout.toMillis());
			socket.connect(new InetSocketAddress(this.address.host(), this.address.port()), timeoutMillis);
			socket.setSoTimeout(timeoutMillis);
			return new StampTcpTestConnection(socket);
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new UncheckedIOException("Could not connect to " + this.address, ex);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing to release: the connect already failed.
		}
	}

}
