package dev.stamp.webtransport.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.TrustManagerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import reactor.core.publisher.Mono;

import dev.stamp.core.ConnectionRegistry;
import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.WebTransportStats;
import dev.stamp.webtransport.internal.ConnectionErrorHandler;
import dev.stamp.webtransport.internal.ConnectionState;
import dev.stamp.webtransport.internal.EngineLimits;
import dev.stamp.webtransport.internal.EngineStats;
import dev.stamp.webtransport.internal.PeerStreamInterceptor;
import dev.stamp.webtransport.internal.QuicTransport;
import dev.stamp.webtransport.internal.ReceiveBatch;
import dev.stamp.webtransport.internal.SharedDatagramSockets;
import dev.stamp.webtransport.tls.CertificateHashTrustManager;
import dev.stamp.webtransport.tls.EndpointTrustManager;

/**
 * A WebTransport client on Netty QUIC, for tests, benchmarks and Java applications.
 * <pre class="code">
 * try (WebTransportClient client = WebTransportClient.builder().trustCertificateHash(sha256).build()) {
 *     WebTransportSession session = client.connect(URI.create("https://127.0.0.1:4433/echo")).block();
 *     WebTransportStream stream = session.openBidiStream().block();
 *     ...
 * }
 * </pre> {@link #connect(URI)} opens a QUIC connection per session and closes it when the
 * session ends; {@link #openConnection(InetSocketAddress, String)} gives a connection on
 * which several sessions can be opened. Server-opened bidirectional streams are supported
 * (Netty's HTTP/3 client would refuse them).
 */
public final class WebTransportClient implements AutoCloseable {

	private final Builder config;

	private final QuicSslContext ssl;

	private final Map<String, QuicSslContext> sslByHost = new ConcurrentHashMap<>();

	private final EventLoopGroup group;

	private final EngineStats stats = new EngineStats(new PeerErrors("WebTransport client"));

	/**
	 * Last on every connection, shared by all of them: peer streams, datagrams and peer
	 * errors in one handler context, as on the server.
	 */
	private final PeerStreamInterceptor peerStreams = PeerStreamInterceptor.withErrors(false,
			new ConnectionErrorHandler(this.stats.peerErrors()));

	private final ConnectionRegistry registry = new ConnectionRegistry("webtransport-client", Integer.MAX_VALUE);

	private final List<Channel> udpChannels = new ArrayList<>();

	private final SharedDatagramSockets<SocketKey> sockets;

	private WebTransportClient(Builder config) {
		this.config = config;
		QuicSslContextBuilder ssl = QuicSslContextBuilder.forClient().applicationProtocols("h3");
		if (config.certificateHashes.isEmpty() && config.trustManagerFactory == null) {
			throw new IllegalArgumentException("Configure a certificate hash or a trust manager factory");
		}
		// Pinned hashes trust the same certificate whatever the name; a trust store needs
		// the name, so its contexts are made per server host, on first use.
		this.ssl = config.certificateHashes.isEmpty() ? null
				: ssl.trustManager(new CertificateHashTrustManager(config.certificateHashes)).build();
		this.group = QuicTransport.newGroup(config.threads, "stamp-webtransport-client");
		this.sockets = new SharedDatagramSockets<>(config.connectionsPerSocket, this::bind);
	}

	private QuicSslContext sslContextFor(String host) {
		if (this.ssl != null) {
			return this.ssl;
		}
		return this.sslByHost.computeIfAbsent(host,
				(name) -> QuicSslContextBuilder.forClient()
					.applicationProtocols("h3")
					.trustManager(EndpointTrustManager.of(this.config.trustManagerFactory, name))
					.build());
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Opens a session at an {@code https} URL on a new QUIC connection; the connection
	 * closes when the session ends.
	 * @param url the session's URL
	 * @return the session, once the server accepted it
	 */
	public Mono<WebTransportSession> connect(URI url) {
		return connect(url, Map.of());
	}

	/**
	 * Like {@link #connect(URI)}, with extra request headers (for example
	 * {@code origin}).
	 * @param url the session's URL
	 * @param headers request headers to add
	 * @return the session, once the server accepted it
	 */
	public Mono<WebTransportSession> connect(URI url, Map<String, String> headers) {
		if (!"https".equalsIgnoreCase(url.getScheme())) {
			throw new IllegalArgumentException("WebTransport URLs are https URLs: " + url);
		}
		int port = (url.getPort() > 0) ? url.getPort() : 443;
		String path = ((url.getRawPath() == null || url.getRawPath().isEmpty()) ? "/" : url.getRawPath())
				+ ((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "");
		InetSocketAddress address = new InetSocketAddress(url.getHost(), port);
		String authority = url.getHost() + ":" + port;
		return Mono.fromCallable(() -> openConnection(address, authority))
			.subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
			.flatMap((connection) -> connection.openSession(path, headers)
				.doOnNext((session) -> session.closeSignal().subscribe((info) -> connection.close()))
				.doOnError((error) -> connection.close()));
	}

	/**
	 * Opens a QUIC connection (blocking until the handshake completed).
	 * @param address the server
	 * @param authority the {@code :authority} for CONNECT requests, for example
	 * {@code localhost:4433}
	 * @return the open connection
	 */
	public WebTransportClientConnection openConnection(InetSocketAddress address, String authority) {
		return openConnection(address, authority, new InetSocketAddress(0));
	}

	/**
	 * Opens a QUIC connection from a given local address (blocking until the handshake
	 * completed). Many connections to one server need several local addresses, or sockets
	 * shared by several connections ({@link Builder#connectionsPerSocket(int)}): each
	 * socket takes an ephemeral port, and one address has only so many.
	 * @param address the server
	 * @param authority the {@code :authority} for CONNECT requests, for example
	 * {@code localhost:4433}
	 * @param localAddress the address the connection's UDP socket is bound to (port 0 for
	 * any)
	 * @return the open connection
	 */
	public WebTransportClientConnection openConnection(InetSocketAddress address, String authority,
			InetSocketAddress localAddress) {
		SharedDatagramSockets<SocketKey>.Lease socket = this.sockets
			.acquire(new SocketKey(localAddress, address.getHostString()));
		Channel udp = socket.channel();
		EngineLimits limits = new EngineLimits(this.config.maxStreamsPerSession, 16, 64 * 1024, 32,
				Duration.ofSeconds(2), 256, 65_535);
		try {
			QuicChannel quic = QuicChannel.newBootstrap(udp)
				.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, QuicTransport.segmentedAllocator())
				.option(QuicChannelOption.QLOG, QuicTransport.qlog(this.config.qlogDirectory, "client"))
				.handler(new ChannelInitializer<QuicChannel>() {
					@Override
					protected void initChannel(QuicChannel channel) {
						ConnectionState connection = new ConnectionState(channel, false, limits,
								WebTransportClient.this.stats, ConnectionState.newRefusalLogs());
						channel.attr(ConnectionState.KEY).set(connection);
						channel.pipeline()
							.addLast(new ClientHttp3ConnectionHandler(
									WebTransportClient.this.config.maxStreamsPerSession))
							.addLast(WebTransportClient.this.peerStreams);
					}
				})
				.remoteAddress(address)
				.connect()
				.get(this.config.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
			this.registry.tryRegister(quic);
			quic.closeFuture().addListener((f) -> socket.release());
			return new WebTransportClientConnection(quic, authority);
		}
		catch (Exception ex) {
			socket.release();
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new WebTransportSessionException("Could not connect to " + address, ex);
		}
	}

	/**
	 * Binds a UDP socket with its QUIC codec, for {@link #sockets}.
	 * @param key the local address and the server host the codec's TLS trusts
	 * @return the bound socket
	 */
	private Channel bind(SocketKey key) {
		ChannelHandler codec = Http3.newQuicClientCodecBuilder()
			.sslContext(sslContextFor(key.host()))
			.maxIdleTimeout(this.config.idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.maxRecvUdpPayloadSize(QuicTransport.MAX_UDP_PAYLOAD_SIZE)
			.initialMaxData(this.config.connectionReceiveWindow)
			.initialMaxStreamDataBidirectionalLocal(this.config.streamReceiveWindow)
			.initialMaxStreamDataBidirectionalRemote(this.config.streamReceiveWindow)
			.initialMaxStreamDataUnidirectional(this.config.streamReceiveWindow)
			.initialMaxStreamsBidirectional(this.config.maxStreamsPerSession)
			.initialMaxStreamsUnidirectional(this.config.maxStreamsPerSession + 3L)
			.datagram(1024, 1024)
			.build();
		Channel udp;
		try {
			udp = QuicTransport.newBootstrap(this.group, false)
				.handler(ReceiveBatch.inFrontOf(codec))
				.bind(key.localAddress())
				.sync()
				.channel();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WebTransportSessionException("Interrupted while binding", ex);
		}
		synchronized (this.udpChannels) {
			this.udpChannels.add(udp);
		}
		udp.closeFuture().addListener((closed) -> {
			synchronized (this.udpChannels) {
				this.udpChannels.remove(udp);
			}
		});
		return udp;
	}

	/**
	 * The errors servers caused this client, by kind.
	 * @return the peer-error counters
	 */
	public PeerErrors peerErrors() {
		return this.stats.peerErrors();
	}

	/**
	 * The client's counters.
	 * @return the client's counters
	 */
	public WebTransportStats statistics() {
		return this.stats.snapshot(this.registry.stats());
	}

	/** Closes every connection and stops the client's threads. */
	@Override
	public void close() {
		this.registry.closeAll().awaitUninterruptibly(2, TimeUnit.SECONDS);
		List<Channel> sockets;
		synchronized (this.udpChannels) {
			sockets = List.copyOf(this.udpChannels);
		}
		// Outside the lock: a socket's close removes it from the list.
		sockets.forEach(Channel::close);
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
	}

	/**
	 * What a UDP socket's codec depends on besides its local address: the server host its
	 * TLS context trusts.
	 */
	private record SocketKey(InetSocketAddress localAddress, String host) {
	}

	/** Configures a {@link WebTransportClient}. */
	public static final class Builder {

		private final List<byte[]> certificateHashes = new ArrayList<>();

		private TrustManagerFactory trustManagerFactory;

		private Duration idleTimeout = Duration.ofSeconds(30);

		private Duration connectTimeout = Duration.ofSeconds(10);

		private long streamReceiveWindow = 1024 * 1024;

		private long connectionReceiveWindow = 16 * 1024 * 1024;

		private int maxStreamsPerSession = 100;

		private int threads = 1;

		private Path qlogDirectory;

		private int connectionsPerSocket = 1;

		private Builder() {
		}

		/**
		 * Trust a server whose certificate has this SHA-256 (like a browser's
		 * {@code serverCertificateHashes}).
		 * @param sha256 the SHA-256 of the server's DER certificate
		 * @return this builder
		 */
		public Builder trustCertificateHash(byte[] sha256) {
			this.certificateHashes.add(sha256.clone());
			return this;
		}

		/**
		 * Trust servers the given trust managers accept (CA-signed certificates).
		 * @param trustManagerFactory the trust managers to ask
		 * @return this builder
		 */
		public Builder trustManagerFactory(TrustManagerFactory trustManagerFactory) {
			this.trustManagerFactory = trustManagerFactory;
			return this;
		}

		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/**
		 * QUIC flow-control windows: per stream and per connection.
		 * @param perStream bytes the server may send on one stream before it gets more
		 * credit
		 * @param perConnection bytes the server may send on the connection before it gets
		 * more credit
		 * @return this builder
		 */
		public Builder receiveWindows(long perStream, long perConnection) {
			this.streamReceiveWindow = perStream;
			this.connectionReceiveWindow = perConnection;
			return this;
		}

		/**
		 * Streams the server may open in one session (QUIC credit and the engine's
		 * limit).
		 * @param maxStreamsPerSession the limit, at least 1
		 * @return this builder
		 */
		public Builder maxStreamsPerSession(int maxStreamsPerSession) {
			this.maxStreamsPerSession = maxStreamsPerSession;
			return this;
		}

		/**
		 * Event-loop threads of the client (connections are spread over them).
		 * @param threads the number of event-loop threads
		 * @return this builder
		 */
		public Builder threads(int threads) {
			this.threads = threads;
			return this;
		}

		/**
		 * Writes a qlog trace of every connection into this directory (see
		 * {@code WebTransportServerConfig.Builder#qlogDirectory}). Default {@code null}:
		 * none.
		 * @param qlogDirectory the directory, or {@code null} for no traces
		 * @return this builder
		 */
		public Builder qlogDirectory(Path qlogDirectory) {
			this.qlogDirectory = qlogDirectory;
			return this;
		}

		/**
		 * QUIC connections that share one UDP socket at most (QUIC tells them apart by
		 * connection id). Default 1: a socket per connection. A client that holds many
		 * connections at once (a load generator) needs a descriptor and an ephemeral port
		 * per socket, so sharing lets it go beyond the process's open-file limit; the
		 * connections of one socket share its event loop.
		 * @param connectionsPerSocket the number, at least 1
		 * @return this builder
		 */
		public Builder connectionsPerSocket(int connectionsPerSocket) {
			if (connectionsPerSocket < 1) {
				throw new IllegalArgumentException(
						"connectionsPerSocket must be at least 1, was " + connectionsPerSocket);
			}
			this.connectionsPerSocket = connectionsPerSocket;
			return this;
		}

		public WebTransportClient build() {
			return new WebTransportClient(this);
		}

	}

}
