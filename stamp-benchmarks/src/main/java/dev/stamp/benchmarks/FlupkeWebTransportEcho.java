package dev.stamp.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import tech.kwik.core.log.BaseLogger;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;
import tech.kwik.flupke.server.HttpRequestHandler;
import tech.kwik.flupke.webtransport.Session;
import tech.kwik.flupke.webtransport.WebTransportHttp3ApplicationProtocolFactory;
import tech.kwik.flupke.webtransport.WebTransportStream;

import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.server.WebTransportServerConfig;
import dev.stamp.webtransport.tls.DevelopmentCertificate;

/**
 * A WebTransport echo server on Flupke 0.9.4 and Kwik, the other Java WebTransport
 * implementation, as a benchmark peer for Stamp.
 * <p>
 * The echo is Stamp's built-in one: every bidirectional stream the client opens is echoed
 * byte for byte on itself (the sending side ends when the client's side ended), every
 * unidirectional stream is echoed on a new server-opened unidirectional stream. Flupke's
 * WebTransport has no datagrams, so datagram scenarios cannot run against this peer.
 * Flupke allows one WebTransport session per QUIC connection.
 * <p>
 * It binds {@code 127.0.0.1} on an ephemeral port and serves a fresh
 * {@link DevelopmentCertificate}; clients trust it by {@link #certificateSha256() hash}.
 * Flow-control windows are Stamp's defaults; the idle timeout is
 * {@value #IDLE_TIMEOUT_SECONDS} s, but QUIC uses the smaller of both sides', so clients
 * must ask for as much.
 * <p>
 * Kwik uses blocking I/O: each connection holds six platform threads (receiver, sender,
 * idle timer, loss detection, callbacks, and Flupke's CONNECT-stream reader), and each
 * stream being echoed one more.
 */
public final class FlupkeWebTransportEcho implements AutoCloseable {

	static {
		// Kwik asserts a loss delay above 0 ms but measures RTT in whole milliseconds,
		// often 0 on loopback: under -ea (test JVMs) connections then die with an
		// AssertionError. Benchmarks run without -ea; so does Kwik here. Only classes
		// initialized later are affected, hence a static initializer.
		FlupkeWebTransportEcho.class.getClassLoader().setPackageAssertionStatus("tech.kwik", false);
	}

	private static final WebTransportServerConfig STAMP_DEFAULTS = WebTransportServerConfig
		.builder(SessionAcceptor.of((session) -> Mono.empty()))
		.build();

	/** Per-stream receive window: Stamp's default. */
	static final long STREAM_RECEIVE_WINDOW = STAMP_DEFAULTS.streamReceiveWindow();

	/** Per-connection receive window: Stamp's default. */
	static final long CONNECTION_RECEIVE_WINDOW = STAMP_DEFAULTS.connectionReceiveWindow();

	/**
	 * Streams the client may open at once on a connection, each direction. Stamp takes
	 * 100 per session; this is more so that the peer is never what limits a scenario.
	 * Kwik only grants credit, it allocates per stream opened.
	 */
	static final int MAX_PEER_STREAMS = 1_000;

	/**
	 * HTTP/3 itself takes one client bidirectional stream (CONNECT) and three
	 * unidirectional ones.
	 */
	private static final int HTTP3_BIDI_STREAMS = 1;

	private static final int HTTP3_UNI_STREAMS = 3;

	/** Long enough for the memory scenario's idle connections. */
	static final int IDLE_TIMEOUT_SECONDS = 120;

	/**
	 * Flupke asks this handler about every request, extended CONNECT included, and goes
	 * on with WebTransport only if it set no status or a 2xx one: plain requests get 404,
	 * CONNECTs are left to the WebTransport registry (which answers 404 for unknown paths
	 * itself).
	 */
	private static final HttpRequestHandler NOT_FOUND = (request, response) -> {
		if (!"CONNECT".equals(request.method())) {
			response.setStatus(404);
		}
	};

	private static final String KEY_ALIAS = "flupke-echo";

	private static final char[] KEY_PASSWORD = "flupke-echo".toCharArray();

	private final DatagramSocket socket;

	private final ServerConnector connector;

	private final ExecutorService sessionExecutor;

	private final byte[] certificateSha256;

	private final AtomicInteger openSessions;

	private FlupkeWebTransportEcho(DatagramSocket socket, ServerConnector connector, ExecutorService sessionExecutor,
			byte[] certificateSha256, AtomicInteger openSessions) {
		this.socket = socket;
		this.connector = connector;
		this.sessionExecutor = sessionExecutor;
		this.certificateSha256 = certificateSha256;
		this.openSessions = openSessions;
	}

	/**
	 * Starts the echo on {@code 127.0.0.1} and an ephemeral port.
	 * @param path the WebTransport path, for example {@code /echo}; other paths are
	 * answered 404
	 */
	public static FlupkeWebTransportEcho start(String path) {
		DevelopmentCertificate certificate = DevelopmentCertificate.generate();
		// Kwik's builder refuses port 0 ("port number not set") and does not tell the
		// port it bound: bind the socket here and hand it over.
		DatagramSocket socket;
		try {
			socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (SocketException ex) {
			throw new IllegalStateException("Could not bind a UDP port on 127.0.0.1", ex);
		}
		// Flupke runs the session handler on this executor; it only installs the stream
		// handlers and returns. The blocking copies run where Flupke calls the stream
		// handlers: on its own cached pool ("http3-connection"), a thread per open
		// stream, which the WebTransport factory does not let us replace. Java 17 has no
		// virtual threads, so this is a cached pool too, like Flupke's default, but ours
		// so that close() stops it.
		ExecutorService sessionExecutor = Executors.newCachedThreadPool(daemonThreads("flupke-echo-session-"));
		AtomicInteger openSessions = new AtomicInteger();
		try {
			ServerConnectionConfig config = ServerConnectionConfig.builder()
				.maxIdleTimeoutInSeconds(IDLE_TIMEOUT_SECONDS)
				.maxBidirectionalStreamBufferSize(STREAM_RECEIVE_WINDOW)
				.maxUnidirectionalStreamBufferSize(STREAM_RECEIVE_WINDOW)
				.maxConnectionBufferSize(CONNECTION_RECEIVE_WINDOW)
				.maxOpenPeerInitiatedBidirectionalStreams(MAX_PEER_STREAMS + HTTP3_BIDI_STREAMS)
				.maxOpenPeerInitiatedUnidirectionalStreams(MAX_PEER_STREAMS + HTTP3_UNI_STREAMS)
				// No Retry, like Stamp by default
				// (stamp.webtransport.address-validation=false). Kwik 0.10.8 with Retry
				// also refuses about 3% of the retried handshakes from Netty's QUIC
				// client with INVALID_TOKEN.
				.retryRequired(false)
				.build();
			ServerConnector connector = ServerConnector.builder()
				.withSocket(socket)
				.withKeyStore(keyStore(certificate), KEY_ALIAS, KEY_PASSWORD, "secp256r1")
				.withConfiguration(config)
				.withLogger(new ErrorsOnlyLogger())
				.build();
			WebTransportHttp3ApplicationProtocolFactory webTransport = new EchoProtocolFactory();
			webTransport.setExecutor(sessionExecutor);
			webTransport.registerWebTransportServer(path, (session) -> echo(session, openSessions));
			connector.registerApplicationProtocol("h3", webTransport);
			connector.start();
			return new FlupkeWebTransportEcho(socket, connector, sessionExecutor, certificate.sha256(), openSessions);
		}
		catch (Exception ex) {
			socket.close();
			sessionExecutor.shutdownNow();
			throw new IllegalStateException("Could not start the Flupke WebTransport echo", ex);
		}
	}

	/** The bound UDP port. */
	public int port() {
		return this.socket.getLocalPort();
	}

	/**
	 * SHA-256 of the server certificate, for {@code serverCertificateHashes}-style trust.
	 */
	public byte[] certificateSha256() {
		return this.certificateSha256.clone();
	}

	/** Sessions accepted and not ended yet: shows whether Flupke released closed ones. */
	public int openSessions() {
		return this.openSessions.get();
	}

	/**
	 * Closes every connection (Kwik waits for them up to 30 s), the socket and the
	 * session executor.
	 */
	@Override
	public void close() {
		try {
			this.connector.close();
		}
		finally {
			this.socket.close();
			this.sessionExecutor.shutdownNow();
		}
	}

	private static void echo(Session session, AtomicInteger openSessions) {
		openSessions.incrementAndGet();
		AtomicBoolean ended = new AtomicBoolean();
		Runnable end = () -> {
			if (ended.compareAndSet(false, true)) {
				openSessions.decrementAndGet();
			}
		};
		session.registerSessionTerminatedEventListener((code, reason) -> end.run());
		session.setBidirectionalStreamReceiveHandler(
				(stream) -> copyAndClose(stream.getInputStream(), stream.getOutputStream()));
		session.setUnidirectionalStreamReceiveHandler((stream) -> {
			try {
				WebTransportStream back = session.createUnidirectionalStream();
				copyAndClose(stream.getInputStream(), back.getOutputStream());
			}
			catch (IOException ex) {
				// The session ended: nothing to echo to.
				closeQuietly(stream.getInputStream());
			}
		});
		// Handlers first: Flupke delivers streams from open() on.
		try {
			session.open();
		}
		catch (IllegalStateException ex) {
			// The peer closed the session before it was opened.
			end.run();
			return;
		}
		if (!session.isOpen()) {
			end.run();
		}
	}

	/**
	 * Runs on the Flupke thread that delivered the stream; blocking is what that thread
	 * is for.
	 */
	private static void copyAndClose(InputStream in, OutputStream out) {
		try (in; out) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// Reset by the peer or the session ended: Flupke resets what is left.
		}
	}

	private static void closeQuietly(InputStream in) {
		try {
			in.close();
		}
		catch (IOException ex) {
			// Nothing to do: it is gone.
		}
	}

	/** Kwik takes ECDSA keys from a key store only (its PEM reader expects RSA). */
	private static KeyStore keyStore(DevelopmentCertificate certificate) throws GeneralSecurityException, IOException {
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		keyStore.load(null, null);
		keyStore.setKeyEntry(KEY_ALIAS, certificate.privateKey(), KEY_PASSWORD,
				new X509Certificate[] { certificate.certificate() });
		return keyStore;
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Flupke's WebTransport factory inherits the HTTP/3 cap of 1 KiB on peer
	 * unidirectional stream buffers (meant for the control and QPACK streams), which
	 * would hold every WebTransport unidirectional stream to a 1 KiB window. Lifted to
	 * the stream window bidirectional streams get.
	 */
	private static final class EchoProtocolFactory extends WebTransportHttp3ApplicationProtocolFactory {

		EchoProtocolFactory() {
			super(NOT_FOUND, MAX_PEER_STREAMS + HTTP3_UNI_STREAMS, MAX_PEER_STREAMS + HTTP3_BIDI_STREAMS);
		}

		@Override
		public long maxUnidirectionalStreamReceiverBufferSize() {
			return STREAM_RECEIVE_WINDOW;
		}

	}

	/**
	 * Kwik logs through its own logger; everything is off by default but errors, which go
	 * to stderr.
	 */
	private static final class ErrorsOnlyLogger extends BaseLogger {

		@Override
		public void error(String message) {
			// Kwik 0.10.8 says this for every connection the peer closed (it is removed
			// while draining).
			if (!message.startsWith("Removed connection with dcid")) {
				super.error(message);
			}
		}

		@Override
		protected void log(String message) {
			System.err.println("[kwik] " + message);
		}

		@Override
		protected void log(String message, Throwable ex) {
			System.err.println("[kwik] " + message);
			if (ex != null) {
				ex.printStackTrace();
			}
		}

		@Override
		protected void logWithHexDump(String message, byte[] data, int length) {
			log(message);
		}

		@Override
		protected void logWithHexDump(String message, ByteBuffer data, int offset, int length) {
			log(message);
		}

	}

}
