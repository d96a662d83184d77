package dev.stamp.test.client;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;

/**
 * Opens WebTransport sessions to a Stamp WebTransport listener with Stamp's own
 * {@link WebTransportClient}, trusting the listener's certificate by its SHA-256 hash (as
 * a browser's {@code serverCertificateHashes} does), for tests. <pre class="code">
 * WebTransportSession session = webTransport.connect("/echo");
 * WebTransportStream stream = session.openBidiStreamBlocking();
 * stream.write(bytes).then(stream.finish()).block();
 * assertThat(StampWebTransportTestClient.readAll(stream, Duration.ofSeconds(10))).isEqualTo(bytes);
 * </pre> The QUIC client is created on first use (when the listener has published its
 * certificate) and stopped by {@link #close()}, which the application context calls for
 * the bean.
 */
public final class StampWebTransportTestClient implements AutoCloseable {

	private final StampListenerAddress address;

	private final Supplier<byte[]> certificateHash;

	private final Duration timeout;

	private WebTransportClient client;

	private boolean closed;

	/**
	 * A client for a listener.
	 * @param address the listener
	 * @param certificateHash the SHA-256 of the listener's certificate, asked for when
	 * the first session opens
	 * @param timeout how long opening a session may take
	 */
	public StampWebTransportTestClient(StampListenerAddress address, Supplier<byte[]> certificateHash,
			Duration timeout) {
		this.address = address;
		this.certificateHash = certificateHash;
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
	 * The {@code https://} URL of a path on the listener.
	 * @param path the path, with its query if any, starting with {@code /}
	 * @return the URL
	 */
	public URI uri(String path) {
		return URI.create("https://" + this.address.authority() + path);
	}

	/**
	 * Opens a session on a connection of its own, which closes when the session ends.
	 * @param path the path, starting with {@code /}
	 * @return the open session
	 * @throws dev.stamp.webtransport.WebTransportSessionException if the server refused
	 * it (the message has the status)
	 */
	public WebTransportSession connect(String path) {
		return connect(path, Map.of());
	}

	/**
	 * Opens a session with extra request headers (for example {@code origin}).
	 * @param path the path, starting with {@code /}
	 * @param headers the headers
	 * @return the open session
	 */
	public WebTransportSession connect(String path, Map<String, String> headers) {
		WebTransportSession session = client().connect(uri(path), headers).block(this.timeout);
		if (session == null) {
			throw new IllegalStateException("No WebTransport session at " + uri(path));
		}
		return session;
	}

	/**
	 * The underlying client, for anything this class does not cover (such as several
	 * sessions on one connection), created on first use.
	 * @return the client
	 * @throws IllegalStateException if this client was closed, or the listener's
	 * certificate hash is not known
	 */
	public synchronized WebTransportClient client() {
		if (this.closed) {
			throw new IllegalStateException("The WebTransport test client is closed");
		}
		if (this.client == null) {
			this.client = WebTransportClient.builder()
				.trustCertificateHash(this.certificateHash.get())
				.connectTimeout(this.timeout)
				.build();
		}
		return this.client;
	}

	/**
	 * Reads a stream to its end: every byte the peer sends before it finishes the stream.
	 * The stream's receive window holds what arrives before this is called (1 MiB by
	 * default); a test that sends more, expecting an echo, reads while it sends.
	 * @param stream a stream that can receive
	 * @param timeout how long the whole stream may take
	 * @return the bytes, in order
	 */
	public static byte[] readAll(WebTransportStream stream, Duration timeout) {
		return stream.receive()
			.collect(ByteArrayOutputStream::new, (out, chunk) -> out.write(chunk, 0, chunk.length))
			.map(ByteArrayOutputStream::toByteArray)
			.block(timeout);
	}

	/** Closes every session and connection and stops the client's threads. */
	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.client != null) {
			this.client.close();
			this.client = null;
		}
	}

}
