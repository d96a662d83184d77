package dev.stamp.webtransport.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

import javax.net.ssl.KeyManagerFactory;

import org.jspecify.annotations.Nullable;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.internal.EngineLimits;

/**
 * Everything a {@link WebTransportServer} needs; immutable, built with
 * {@link #builder(SessionAcceptor)}. The Spring starter maps {@code stamp.webtransport.*}
 * properties onto the builder.
 */
public final class WebTransportServerConfig {

	private final String host;

	private final int port;

	private final @Nullable KeyManagerFactory keyManagerFactory;

	private final @Nullable String keyPassword;

	private final SessionAcceptor acceptor;

	private final int maxConnections;

	private final int maxSessions;

	private final int maxSessionsPerConnection;

	private final int maxStreamsPerSession;

	private final int maxDatagramPayloadSize;

	private final Duration idleTimeout;

	private final Duration handshakeTimeout;

	private final Duration admissionTimeout;

	private final Duration shutdownGracePeriod;

	private final int maxPendingStreams;

	private final int maxPendingBytes;

	private final int maxPendingDatagrams;

	private final Duration pendingTimeout;

	private final int datagramQueueSize;

	private final long streamReceiveWindow;

	private final long connectionReceiveWindow;

	private final @Nullable ExecutorService blockingExecutor;

	private final int eventLoopThreads;

	private final boolean addressValidation;

	private final @Nullable Path qlogDirectory;

	private final int socketReceiveBuffer;

	private final int socketSendBuffer;

	private final PeerErrors peerErrors;

	private WebTransportServerConfig(Builder builder) {
		this.host = builder.host;
		this.port = builder.port;
		this.keyManagerFactory = builder.keyManagerFactory;
		this.keyPassword = builder.keyPassword;
		this.acceptor = builder.acceptor;
		this.maxConnections = positive("max-connections", builder.maxConnections);
		this.maxSessions = positive("max-sessions", builder.maxSessions);
		this.maxSessionsPerConnection = positive("max-sessions-per-connection", builder.maxSessionsPerConnection);
		this.maxStreamsPerSession = positive("max-streams-per-session", builder.maxStreamsPerSession);
		this.maxDatagramPayloadSize = positive("max-datagram-size", builder.maxDatagramPayloadSize);
		this.idleTimeout = builder.idleTimeout;
		this.handshakeTimeout = builder.handshakeTimeout;
		this.admissionTimeout = builder.admissionTimeout;
		this.shutdownGracePeriod = builder.shutdownGracePeriod;
		this.maxPendingStreams = positive("max-pending-streams", builder.maxPendingStreams);
		this.maxPendingBytes = positive("max-pending-bytes", builder.maxPendingBytes);
		this.maxPendingDatagrams = positive("max-pending-datagrams", builder.maxPendingDatagrams);
		this.pendingTimeout = builder.pendingTimeout;
		this.datagramQueueSize = positive("datagram-queue-size", builder.datagramQueueSize);
		this.streamReceiveWindow = builder.streamReceiveWindow;
		this.connectionReceiveWindow = builder.connectionReceiveWindow;
		this.blockingExecutor = builder.blockingExecutor;
		if (builder.eventLoopThreads < 0) {
			throw new IllegalArgumentException(
					"event-loop-threads must be 0 (automatic) or more, was " + builder.eventLoopThreads);
		}
		this.eventLoopThreads = builder.eventLoopThreads;
		this.addressValidation = builder.addressValidation;
		this.qlogDirectory = builder.qlogDirectory;
		this.socketReceiveBuffer = notNegative("socket-receive-buffer", builder.socketReceiveBuffer);
		this.socketSendBuffer = notNegative("socket-send-buffer", builder.socketSendBuffer);
		this.peerErrors = (builder.peerErrors != null) ? builder.peerErrors : new PeerErrors("WebTransport server");
	}

	private static int notNegative(String name, int value) {
		if (value < 0) {
			throw new IllegalArgumentException(name + " must be 0 (the system's default) or more, was " + value);
		}
		return value;
	}

	private static int positive(String name, int value) {
		if (value < 1) {
			throw new IllegalArgumentException(name + " must be at least 1, was " + value);
		}
		return value;
	}

	/**
	 * A builder with defaults: port 4433 on all interfaces, development certificate,
	 * 10,000 connections.
	 * @param acceptor decides about every session request
	 * @return a new builder
	 */
	public static Builder builder(SessionAcceptor acceptor) {
		return new Builder(acceptor);
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	/**
	 * The TLS key material.
	 * @return the key manager factory, or {@code null} to generate a development
	 * certificate
	 */
	public @Nullable KeyManagerFactory keyManagerFactory() {
		return this.keyManagerFactory;
	}

	public @Nullable String keyPassword() {
		return this.keyPassword;
	}

	public SessionAcceptor acceptor() {
		return this.acceptor;
	}

	public int maxConnections() {
		return this.maxConnections;
	}

	public int maxSessions() {
		return this.maxSessions;
	}

	public int maxSessionsPerConnection() {
		return this.maxSessionsPerConnection;
	}

	public int maxStreamsPerSession() {
		return this.maxStreamsPerSession;
	}

	public int maxDatagramPayloadSize() {
		return this.maxDatagramPayloadSize;
	}

	public Duration idleTimeout() {
		return this.idleTimeout;
	}

	public Duration handshakeTimeout() {
		return this.handshakeTimeout;
	}

	public Duration admissionTimeout() {
		return this.admissionTimeout;
	}

	public Duration shutdownGracePeriod() {
		return this.shutdownGracePeriod;
	}

	public long streamReceiveWindow() {
		return this.streamReceiveWindow;
	}

	public long connectionReceiveWindow() {
		return this.connectionReceiveWindow;
	}

	/**
	 * The executor for blocking handlers, or {@code null} to let the server create (and
	 * own) one.
	 * @return the executor, or {@code null}
	 */
	public @Nullable ExecutorService blockingExecutor() {
		return this.blockingExecutor;
	}

	/**
	 * Event loops, each with its own UDP socket on the port; 0 means one per core where
	 * sockets can share a port.
	 * @return the number of event loops, 0 for the default
	 */
	public int eventLoopThreads() {
		return this.eventLoopThreads;
	}

	/**
	 * Whether new connections must prove their address with a Retry round trip before the
	 * handshake.
	 * @return {@code true} if address validation is on
	 */
	public boolean addressValidation() {
		return this.addressValidation;
	}

	/**
	 * Where each connection's qlog trace is written.
	 * @return the qlog directory, or {@code null} for none
	 */
	public @Nullable Path qlogDirectory() {
		return this.qlogDirectory;
	}

	/**
	 * The receive buffer asked for each UDP socket ({@code SO_RCVBUF}).
	 * @return the size in bytes, or {@code 0} for the system's default
	 */
	public int socketReceiveBuffer() {
		return this.socketReceiveBuffer;
	}

	/**
	 * The send buffer asked for each UDP socket ({@code SO_SNDBUF}).
	 * @return the size in bytes, or {@code 0} for the system's default
	 */
	public int socketSendBuffer() {
		return this.socketSendBuffer;
	}

	/**
	 * Where the errors peers cause are counted and logged, once per burst.
	 * @return the peer-error counters
	 */
	public PeerErrors peerErrors() {
		return this.peerErrors;
	}

	/**
	 * The engine-level limits derived from this configuration.
	 * @return the engine limits
	 */
	public EngineLimits engineLimits() {
		return new EngineLimits(this.maxStreamsPerSession, this.maxPendingStreams, this.maxPendingBytes,
				this.maxPendingDatagrams, this.pendingTimeout, this.datagramQueueSize, this.maxDatagramPayloadSize);
	}

	/** Builds a {@link WebTransportServerConfig}. */
	public static final class Builder {

		private String host = "0.0.0.0";

		private int port = 4433;

		private @Nullable KeyManagerFactory keyManagerFactory;

		private @Nullable String keyPassword;

		private final SessionAcceptor acceptor;

		private int maxConnections = 10_000;

		private int maxSessions = 10_000;

		private int maxSessionsPerConnection = 16;

		private int maxStreamsPerSession = 100;

		private int maxDatagramPayloadSize = 65_535;

		private Duration idleTimeout = Duration.ofSeconds(30);

		private Duration handshakeTimeout = Duration.ofSeconds(10);

		private Duration admissionTimeout = Duration.ofSeconds(10);

		private Duration shutdownGracePeriod = Duration.ofSeconds(10);

		private int maxPendingStreams = 16;

		private int maxPendingBytes = 64 * 1024;

		private int maxPendingDatagrams = 32;

		private Duration pendingTimeout = Duration.ofSeconds(2);

		private int datagramQueueSize = 256;

		private long streamReceiveWindow = 1024 * 1024;

		private long connectionReceiveWindow = 16 * 1024 * 1024;

		private @Nullable ExecutorService blockingExecutor;

		private int eventLoopThreads;

		private boolean addressValidation;

		private @Nullable Path qlogDirectory;

		private int socketReceiveBuffer;

		private int socketSendBuffer;

		private @Nullable PeerErrors peerErrors;

		private Builder(SessionAcceptor acceptor) {
			this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
		}

		/**
		 * The address to bind, for example {@code 127.0.0.1}; default all interfaces.
		 * @param host a host name or IP address
		 * @return this builder
		 */
		public Builder host(String host) {
			this.host = host;
			return this;
		}

		/**
		 * The UDP port; 0 picks a free one (see
		 * {@link WebTransportServer#localAddress()}). Default 4433.
		 * @param port the port, 0 for any free one
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * TLS key material (ECDSA or RSA); without it a development certificate is
		 * generated.
		 * @param keyManagerFactory the factory holding the server's key and certificate
		 * @param keyPassword the password of the key, or {@code null}
		 * @return this builder
		 */
		public Builder keyManagerFactory(KeyManagerFactory keyManagerFactory, @Nullable String keyPassword) {
			this.keyManagerFactory = keyManagerFactory;
			this.keyPassword = keyPassword;
			return this;
		}

		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * Sessions open at once over all connections; over it a CONNECT is answered 503.
		 * @param maxSessions the limit, at least 1
		 * @return this builder
		 */
		public Builder maxSessions(int maxSessions) {
			this.maxSessions = maxSessions;
			return this;
		}

		/**
		 * Sessions open at once on one connection; over it a CONNECT is answered 503.
		 * @param maxSessionsPerConnection the limit, at least 1
		 * @return this builder
		 */
		public Builder maxSessionsPerConnection(int maxSessionsPerConnection) {
			this.maxSessionsPerConnection = maxSessionsPerConnection;
			return this;
		}

		/**
		 * Peer-opened streams open at once in one session; further ones are reset with
		 * H3_REQUEST_REJECTED.
		 * @param maxStreamsPerSession the limit, at least 1
		 * @return this builder
		 */
		public Builder maxStreamsPerSession(int maxStreamsPerSession) {
			this.maxStreamsPerSession = maxStreamsPerSession;
			return this;
		}

		/**
		 * Caps the datagram payload handlers may send and receive (QUIC may allow less,
		 * never more).
		 * @param maxDatagramPayloadSize the largest payload in bytes
		 * @return this builder
		 */
		public Builder maxDatagramPayloadSize(int maxDatagramPayloadSize) {
			this.maxDatagramPayloadSize = maxDatagramPayloadSize;
			return this;
		}

		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
			return this;
		}

		/**
		 * How long a QUIC handshake may take before the connection is dropped.
		 * @param handshakeTimeout the longest handshake
		 * @return this builder
		 */
		public Builder handshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
			return this;
		}

		/**
		 * How long the {@link SessionAcceptor} may take before the CONNECT is answered
		 * 503.
		 * @param admissionTimeout the longest admission decision
		 * @return this builder
		 */
		public Builder admissionTimeout(Duration admissionTimeout) {
			this.admissionTimeout = admissionTimeout;
			return this;
		}

		/**
		 * How long a graceful shutdown waits for sessions to end after DRAIN before
		 * closing them.
		 * @param shutdownGracePeriod the longest wait for sessions to end
		 * @return this builder
		 */
		public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
			this.shutdownGracePeriod = shutdownGracePeriod;
			return this;
		}

		/**
		 * Bounds for streams and datagrams that arrive before their session is known.
		 * @param maxStreams streams per connection
		 * @param maxBytes bytes per connection (streams and datagrams together)
		 * @param maxDatagrams datagrams per connection
		 * @param timeout how long they may wait
		 * @return this builder
		 */
		public Builder pendingLimits(int maxStreams, int maxBytes, int maxDatagrams, Duration timeout) {
			this.maxPendingStreams = maxStreams;
			this.maxPendingBytes = maxBytes;
			this.maxPendingDatagrams = maxDatagrams;
			this.pendingTimeout = timeout;
			return this;
		}

		/**
		 * Received datagrams a session queues for its handler before dropping new ones.
		 * @param datagramQueueSize the queue's capacity in datagrams
		 * @return this builder
		 */
		public Builder datagramQueueSize(int datagramQueueSize) {
			this.datagramQueueSize = datagramQueueSize;
			return this;
		}

		/**
		 * QUIC flow-control windows: per stream and per connection.
		 * @param perStream bytes a peer may send on one stream before it gets more credit
		 * @param perConnection bytes a peer may send on the connection before it gets
		 * more credit
		 * @return this builder
		 */
		public Builder receiveWindows(long perStream, long perConnection) {
			this.streamReceiveWindow = perStream;
			this.connectionReceiveWindow = perConnection;
			return this;
		}

		/**
		 * The executor of blocking handlers (the caller owns it); by default the server
		 * creates one.
		 * @param blockingExecutor the executor, owned by the caller
		 * @return this builder
		 */
		public Builder blockingExecutor(@Nullable ExecutorService blockingExecutor) {
			this.blockingExecutor = blockingExecutor;
			return this;
		}

		/**
		 * Event loops serving QUIC. With the native epoll transport each loop gets its
		 * own UDP socket bound to the same port ({@code SO_REUSEPORT}) so connections
		 * spread over the cores; elsewhere one socket and one loop serve all. 0, the
		 * default, means one per available processor with epoll and 1 without.
		 * @param eventLoopThreads the number of event loops, 0 for the default
		 * @return this builder
		 */
		public Builder eventLoopThreads(int eventLoopThreads) {
			this.eventLoopThreads = eventLoopThreads;
			return this;
		}

		/**
		 * Whether to validate client addresses with a Retry packet and a signed token
		 * before the handshake (RFC 9000 section 8.1). Costs every new connection one
		 * extra round trip; QUIC's anti-amplification limit already bounds what a spoofed
		 * address can draw. Default false.
		 * @param addressValidation whether to send a Retry first
		 * @return this builder
		 */
		public Builder addressValidation(boolean addressValidation) {
			this.addressValidation = addressValidation;
			return this;
		}

		/**
		 * Writes a qlog trace (quiche's JSON-SEQ, readable with qvis) of every connection
		 * into this directory, created if missing: every packet and frame sent and
		 * received, losses and congestion state. For diagnosing interoperability and
		 * loss; costs CPU and disk per connection. Default {@code null}: no traces.
		 * @param qlogDirectory the directory, or {@code null} for no traces
		 * @return this builder
		 */
		public Builder qlogDirectory(@Nullable Path qlogDirectory) {
			this.qlogDirectory = qlogDirectory;
			return this;
		}

		/**
		 * The kernel receive buffer of each UDP socket ({@code SO_RCVBUF}). All of a
		 * socket's connections share it, so a burst of packets (many clients closing at
		 * once, a large upload) that outruns the event loop is dropped once it is full
		 * and must be sent again. The kernel caps it at {@code net.core.rmem_max}; the
		 * server logs a warning when it got less than asked. Default 0: the system's
		 * default.
		 * @param bytes the buffer size in bytes, or 0 for the system's default
		 * @return this builder
		 */
		public Builder socketReceiveBuffer(int bytes) {
			this.socketReceiveBuffer = bytes;
			return this;
		}

		/**
		 * The kernel send buffer of each UDP socket ({@code SO_SNDBUF}), capped by the
		 * kernel at {@code net.core.wmem_max}. Default 0: the system's default.
		 * @param bytes the buffer size in bytes, or 0 for the system's default
		 * @return this builder
		 */
		public Builder socketSendBuffer(int bytes) {
			this.socketSendBuffer = bytes;
			return this;
		}

		/**
		 * Where errors that peers cause (garbage packets, malformed frames, capsules and
		 * stream headers, stalled handshakes) are counted by kind and logged once per
		 * burst, for example a listener's own; by default the server has its own.
		 * @param peerErrors the counters to use
		 * @return this builder
		 */
		public Builder peerErrors(PeerErrors peerErrors) {
			this.peerErrors = peerErrors;
			return this;
		}

		public WebTransportServerConfig build() {
			return new WebTransportServerConfig(this);
		}

	}

}
