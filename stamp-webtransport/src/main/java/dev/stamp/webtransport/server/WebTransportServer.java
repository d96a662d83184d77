package dev.stamp.webtransport.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http3.DefaultHttp3GoAwayFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.QLogConfiguration;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicCodecDispatcher;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.stamp.core.BlockingHandlerExecutor;
import dev.stamp.core.ConnectionRegistry;
import dev.stamp.core.PeerErrors;
import dev.stamp.core.RefusalLog;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStats;
import dev.stamp.webtransport.internal.AddressValidationTokens;
import dev.stamp.webtransport.internal.ConnectionErrorHandler;
import dev.stamp.webtransport.internal.ConnectionState;
import dev.stamp.webtransport.internal.ControlStreamObserver;
import dev.stamp.webtransport.internal.DecoderFailureGuard;
import dev.stamp.webtransport.internal.EngineLimits;
import dev.stamp.webtransport.internal.EngineStats;
import dev.stamp.webtransport.internal.PeerStreamInterceptor;
import dev.stamp.webtransport.internal.QuicTransport;
import dev.stamp.webtransport.internal.ReceiveBatch;
import dev.stamp.webtransport.internal.SessionImpl;
import dev.stamp.webtransport.internal.StreamTypeDispatch;
import dev.stamp.webtransport.internal.UdpErrorHandler;
import dev.stamp.webtransport.internal.UndersizedDatagramFilter;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.protocol.WebTransportSettings;
import dev.stamp.webtransport.tls.DevelopmentCertificate;

/**
 * A WebTransport-over-HTTP/3 server on Netty QUIC (quiche), free of Spring.
 * <p>
 * {@link #start()} binds the UDP port; each QUIC connection (ALPN {@code h3}) gets
 * Netty's HTTP/3 connection handler with WebTransport SETTINGS for both dialects, the
 * 0x41 stream interception, datagram handling and the per-connection
 * {@link ConnectionState}. CONNECT requests go through the configured
 * {@link SessionAcceptor}. {@link #shutdownGracefully(Duration)} stops accepting, sends
 * GOAWAY and DRAIN, waits for sessions within the grace period, then closes what is left;
 * it never waits longer than the grace period plus a few seconds.
 */
public final class WebTransportServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WebTransportServer.class);

	private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

	/**
	 * Shared by every peer-opened stream: the allocator holds only its settings, which
	 * are those Netty gives each QUIC stream (16 reads per read loop).
	 */
	private static final AdaptiveRecvByteBufAllocator PEER_STREAM_RECEIVE_ALLOCATOR = (AdaptiveRecvByteBufAllocator) new AdaptiveRecvByteBufAllocator()
		.maxMessagesPerRead(16);

	private final WebTransportServerConfig config;

	private final EngineStats stats;

	private final ConnectionRegistry registry;

	private final ConnectionErrorHandler connectionErrors;

	/** Last on every admitted connection: peer streams, datagrams and peer errors. */
	private final PeerStreamInterceptor peerStreams;

	private final Map<String, RefusalLog> refusalLogs = ConnectionState.newRefusalLogs();

	private final @Nullable DevelopmentCertificate developmentCertificate;

	private final ExecutorService blockingExecutor;

	/** One for all connections: a channel initializer is sharable. */
	private final RequestStreamInitializer requestStreamInitializer = new RequestStreamInitializer();

	/** Built once: every connection's state shares it. */
	private final EngineLimits engineLimits;

	/** Built once: Netty copies the frame for each connection. */
	private final Http3SettingsFrame localSettings;

	private final boolean ownsBlockingExecutor;

	private EventLoopGroup group;

	private List<Channel> udpChannels = List.of();

	private AddressValidationTokens addressValidation;

	private volatile boolean accepting;

	private volatile boolean stopped;

	/**
	 * The UDP sockets' buffer sizes as the kernel reports them, read once after binding.
	 */
	private volatile @Nullable Integer socketReceiveBuffer;

	private volatile @Nullable Integer socketSendBuffer;

	public WebTransportServer(WebTransportServerConfig config) {
		this.config = config;
		this.stats = new EngineStats(config.peerErrors());
		this.connectionErrors = new ConnectionErrorHandler(config.peerErrors());
		this.peerStreams = PeerStreamInterceptor.withErrors(true, this.connectionErrors);
		this.registry = new ConnectionRegistry("webtransport", config.maxConnections());
		this.developmentCertificate = (config.keyManagerFactory() == null) ? DevelopmentCertificate.generate() : null;
		this.engineLimits = config.engineLimits();
		this.localSettings = WebTransportSettings.localSettings(config.maxSessionsPerConnection(),
				config.maxStreamsPerSession());
		this.ownsBlockingExecutor = config.blockingExecutor() == null;
		this.blockingExecutor = this.ownsBlockingExecutor
				? BlockingHandlerExecutor.create("stamp-webtransport-", 64, 1024) : config.blockingExecutor();
	}

	/**
	 * Binds the port and starts accepting connections.
	 * @return this server, started
	 */
	public synchronized WebTransportServer start() {
		if (this.group != null) {
			throw new IllegalStateException("Already started");
		}
		KeyManagerFactory keys = (this.developmentCertificate != null) ? this.developmentCertificate.keyManagerFactory()
				: this.config.keyManagerFactory();
		QuicSslContext ssl = QuicSslContextBuilder
			.forServer(keys, (this.developmentCertificate != null) ? null : this.config.keyPassword())
			.applicationProtocols("h3")
			.build();
		QuicServerCodecBuilder codec = newCodecBuilder(ssl);
		int sockets = (this.config.eventLoopThreads() > 0) ? this.config.eventLoopThreads()
				: QuicTransport.defaultServerThreads();
		if (sockets > 1 && !QuicTransport.isNative()) {
			logger.info("WebTransport uses one event loop: sharing a UDP port between sockets needs epoll");
			sockets = 1;
		}
		this.group = QuicTransport.newGroup(sockets, "stamp-webtransport-io");
		try {
			this.udpChannels = bind(codec, sockets);
			checkSocketBuffers(this.udpChannels.get(0));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
			throw new IllegalStateException("Interrupted while binding", ex);
		}
		catch (RuntimeException ex) {
			this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
			throw ex;
		}
		this.accepting = true;
		String transport = QuicTransport.name() + ", " + sockets + " event loop(s)"
				+ (this.config.addressValidation() ? ", address validation" : "");
		if (this.developmentCertificate != null) {
			logger.info("WebTransport server on {} ({}) with a development certificate (valid {} days), SHA-256 {}",
					localAddress(), transport, DevelopmentCertificate.DEFAULT_VALIDITY.toDays(),
					this.developmentCertificate.sha256Base64());
		}
		else {
			logger.info("WebTransport server on {} ({})", localAddress(), transport);
		}
		return this;
	}

	private QuicServerCodecBuilder newCodecBuilder(QuicSslContext ssl) {
		long streamWindow = this.config.streamReceiveWindow();
		int perConnection = this.config.maxSessionsPerConnection();
		int perSession = this.config.maxStreamsPerSession();
		QuicServerCodecBuilder codec = Http3.newQuicServerCodecBuilder()
			.sslContext(ssl)
			.maxIdleTimeout(this.config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.maxRecvUdpPayloadSize(QuicTransport.MAX_UDP_PAYLOAD_SIZE)
			.initialMaxData(this.config.connectionReceiveWindow())
			.initialMaxStreamDataBidirectionalLocal(streamWindow)
			.initialMaxStreamDataBidirectionalRemote(streamWindow)
			.initialMaxStreamDataUnidirectional(streamWindow)
			// One CONNECT per session plus its streams, with one spare so the per-session
			// limit is what refuses.
			.initialMaxStreamsBidirectional(Math.min(100_000L, (long) perConnection * (perSession + 1) + 1))
			.initialMaxStreamsUnidirectional(Math.min(100_000L, (long) perConnection * perSession + 4))
			.datagram(1024, 1024)
			.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, QuicTransport.segmentedAllocator())
			// Netty's default, one instance for every peer stream instead of one each (an
			// idle session keeps two: the peer's control stream and the CONNECT stream);
			// what adapts is each stream's own handle. Nothing may change it per stream.
			.streamOption(ChannelOption.RCVBUF_ALLOCATOR, PEER_STREAM_RECEIVE_ALLOCATOR)
			.handler(new ConnectionInitializer());
		QLogConfiguration qlog = QuicTransport.qlog(this.config.qlogDirectory(), "server");
		if (qlog != null) {
			codec.option(QuicChannelOption.QLOG, qlog);
		}
		if (this.config.addressValidation()) {
			this.addressValidation = new AddressValidationTokens();
			codec.tokenHandler(this.addressValidation);
		}
		return codec;
	}

	/**
	 * Binds {@code sockets} UDP sockets to the one port. With more than one, a
	 * {@link QuicCodecDispatcher} gives each socket its own QUIC codec and writes the
	 * socket's index into the connection ids it issues, so a packet that the kernel hands
	 * to another socket (after a peer's address changed) still reaches its connection.
	 * @param codec the QUIC codec settings shared by every socket
	 * @param sockets how many sockets to bind
	 * @return the bound channels, one per socket
	 */
	private List<Channel> bind(QuicServerCodecBuilder codec, int sockets) throws InterruptedException {
		List<Channel> channels = new ArrayList<>(sockets);
		PeerErrors peerErrors = this.config.peerErrors();
		ChannelHandler garbageFilter = new UndersizedDatagramFilter(peerErrors);
		ChannelHandler udpErrors = new UdpErrorHandler(peerErrors);
		if (sockets == 1) {
			channels.add(socketBuffers(QuicTransport.newBootstrap(this.group, false))
				.handler(new ChannelInitializer<Channel>() {
					@Override
					protected void initChannel(Channel channel) {
						channel.pipeline().addLast(garbageFilter);
						ReceiveBatch.addTo(channel);
						channel.pipeline().addLast(codec.build(), udpErrors);
					}
				})
				.bind(this.config.host(), this.config.port())
				.sync()
				.channel());
			return channels;
		}
		ChannelHandler dispatcher = new QuicCodecDispatcher() {
			@Override
			protected void initChannel(Channel channel, int localConnectionIdLength,
					QuicConnectionIdGenerator idGenerator) {
				ReceiveBatch.addTo(channel);
				channel.pipeline()
					.addLast(codec.clone()
						.localConnectionIdLength(localConnectionIdLength)
						.connectionIdAddressGenerator(idGenerator)
						.build(), udpErrors);
			}
		};
		Bootstrap bootstrap = socketBuffers(QuicTransport.newBootstrap(this.group, true))
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					// In front of the dispatcher: it cannot take every datagram (see
					// UndersizedDatagramFilter).
					channel.pipeline().addLast(garbageFilter, dispatcher);
				}
			});
		int port = this.config.port();
		try {
			for (int i = 0; i < sockets; i++) {
				Channel channel = bootstrap.bind(this.config.host(), port).sync().channel();
				channels.add(channel);
				// Port 0 picks a port for the first socket; the others join it.
				port = ((InetSocketAddress) channel.localAddress()).getPort();
			}
		}
		catch (InterruptedException | RuntimeException ex) {
			channels.forEach(Channel::close);
			throw ex;
		}
		return channels;
	}

	private Bootstrap socketBuffers(Bootstrap bootstrap) {
		if (this.config.socketReceiveBuffer() > 0) {
			bootstrap.option(ChannelOption.SO_RCVBUF, this.config.socketReceiveBuffer());
		}
		if (this.config.socketSendBuffer() > 0) {
			bootstrap.option(ChannelOption.SO_SNDBUF, this.config.socketSendBuffer());
		}
		return bootstrap;
	}

	/**
	 * The kernel silently caps a socket buffer at its {@code net.core} maximum, so a
	 * server tuned for bursts could run with a fraction of what it was given: say so once
	 * at start-up, with the sysctl to raise.
	 * @param channel one of the bound sockets (they all have the same options)
	 */
	private void checkSocketBuffers(Channel channel) {
		// Read once: the engine state must still answer while the sockets close.
		this.socketReceiveBuffer = channel.config().getOption(ChannelOption.SO_RCVBUF);
		this.socketSendBuffer = channel.config().getOption(ChannelOption.SO_SNDBUF);
		warnIfCapped("receive", this.config.socketReceiveBuffer(), this.socketReceiveBuffer, "net.core.rmem_max");
		warnIfCapped("send", this.config.socketSendBuffer(), this.socketSendBuffer, "net.core.wmem_max");
	}

	private static void warnIfCapped(String direction, int asked, @Nullable Integer reported, String sysctl) {
		// Linux keeps, and reports, twice the size set (the rest is its bookkeeping), so
		// a size it capped reads below twice what was asked.
		long expected = LINUX ? 2L * asked : asked;
		if (asked > 0 && reported != null && reported < expected) {
			// The sysctl named is Linux's; other systems have their own
			// (kern.ipc.maxsockbuf on macOS and the BSDs).
			String limit = LINUX ? "the kernel caps it at " + sysctl + "; raise that sysctl"
					: "the operating system caps it; raise its socket buffer limit";
			logger.warn("WebTransport UDP {} buffer is {} bytes, not the {} configured: {} to use the configured size",
					direction, LINUX ? reported / 2 : reported, asked, limit);
		}
	}

	/**
	 * The bound address (the real port when configured with port 0).
	 * @return the address the server listens on
	 */
	public InetSocketAddress localAddress() {
		return (InetSocketAddress) this.udpChannels.get(0).localAddress();
	}

	/**
	 * The generated development certificate, or {@code null} if key material was
	 * configured.
	 * @return the development certificate, or {@code null}
	 */
	public @Nullable DevelopmentCertificate developmentCertificate() {
		return this.developmentCertificate;
	}

	public WebTransportServerConfig config() {
		return this.config;
	}

	/**
	 * The id of the QUIC connection that carries a session, the {@code id} of that
	 * connection in {@link #connectionStates(long, int)}: a session's own
	 * {@link WebTransportSession#id() id} is unique within its connection only.
	 * @param session a session this engine accepted
	 * @return the connection's id, or {@code -1} for a session of another origin (a
	 * client's)
	 */
	public static long connectionIdOf(WebTransportSession session) {
		return (session instanceof SessionImpl accepted) ? accepted.connectionId() : -1;
	}

	/**
	 * Whether new connections and sessions are accepted (false once a shutdown began).
	 * @return {@code true} until a shutdown begins
	 */
	public boolean isAccepting() {
		return this.accepting;
	}

	EngineStats stats() {
		return this.stats;
	}

	ExecutorService blockingExecutor() {
		return this.blockingExecutor;
	}

	/**
	 * The errors peers caused, by kind: the configured
	 * {@link WebTransportServerConfig#peerErrors()}.
	 * @return the peer-error counters
	 */
	public PeerErrors peerErrors() {
		return this.config.peerErrors();
	}

	/**
	 * The counters, for health and metrics.
	 * @return the server's counters
	 */
	public WebTransportStats statistics() {
		return this.stats.snapshot(this.registry.stats());
	}

	/**
	 * A per-connection view of sessions and waiting streams, for debugging: the engine
	 * state, statistics, peer errors and every connection. It grows with the number of
	 * connections; see {@link #engineState()} and {@link #connectionStates(long, int)}
	 * for bounded views.
	 * @return a JSON-friendly map of the server's connections
	 */
	public Map<String, Object> debugState() {
		Map<String, Object> state = engineState();
		state.put("statistics", statistics());
		state.put("peerErrors", peerErrors().counts());
		state.put("connections", connectionStates(0, Integer.MAX_VALUE));
		return state;
	}

	/**
	 * The engine's own state, the same size however many connections are open: address,
	 * whether it accepts, transport, event loops and address validation tokens.
	 * @return a JSON-friendly map of the engine's state
	 */
	public Map<String, Object> engineState() {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("localAddress", String.valueOf(localAddress()));
		state.put("accepting", this.accepting);
		state.put("transport", QuicTransport.name());
		state.put("eventLoops", this.udpChannels.size());
		state.put("socketReceiveBuffer", this.socketReceiveBuffer);
		state.put("socketSendBuffer", this.socketSendBuffer);
		if (this.addressValidation != null) {
			state.put("addressValidation", Map.of("tokensIssued", this.addressValidation.issued(), "tokensAccepted",
					this.addressValidation.accepted()));
		}
		return state;
	}

	/**
	 * One page of connections with their sessions and waiting streams, in order of their
	 * {@code id}s; each connection's state is read on its event loop. Blocks up to a
	 * second per connection, so never call it on an event loop.
	 * @param after the {@code id} of the last connection already seen, {@code 0} to start
	 * @param limit how many connections at most
	 * @return the connections' states, each with its {@code id}
	 */
	public List<Map<String, Object>> connectionStates(long after, int limit) {
		List<Map<String, Object>> connections = new ArrayList<>();
		for (Channel channel : this.registry.channelsAfter(after, limit)) {
			Map<String, Object> state = new LinkedHashMap<>();
			state.put("id", ConnectionRegistry.idOf(channel));
			ConnectionState connection = ConnectionState.of((QuicChannel) channel);
			Future<Map<String, Object>> snapshot = (connection != null)
					? channel.eventLoop().submit(connection::debugState) : null;
			if (snapshot == null) {
				// Still in the QUIC handshake: listed, so that a page holds every
				// connection.
				state.put("remoteAddress", String.valueOf(channel.remoteAddress()));
				state.put("handshaking", true);
			}
			else if (snapshot.awaitUninterruptibly(1, TimeUnit.SECONDS) && snapshot.isSuccess()) {
				state.putAll(snapshot.getNow());
			}
			else {
				state.put("unavailable", true);
			}
			connections.add(state);
		}
		return connections;
	}

	/**
	 * Shuts down gracefully: stops accepting, sends GOAWAY and DRAIN_WEBTRANSPORT_SESSION
	 * to every session, waits up to {@code gracePeriod} for sessions to end, then closes
	 * the remaining sessions (code 0, "server shutting down") and connections, and
	 * releases the port. Blocks at most the grace period plus about 3 seconds.
	 * @param gracePeriod how long sessions may take to end by themselves
	 */
	public void shutdownGracefully(Duration gracePeriod) {
		synchronized (this) {
			if (this.stopped || this.group == null) {
				return;
			}
			this.stopped = true;
			this.accepting = false;
		}
		long deadline = System.nanoTime() + gracePeriod.toNanos();
		for (Channel channel : this.registry.channels()) {
			channel.eventLoop().execute(() -> announceShutdown((QuicChannel) channel));
		}
		try {
			while (this.stats.activeSessions() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			for (Channel channel : this.registry.channels()) {
				channel.eventLoop().execute(() -> closeConnection((QuicChannel) channel));
			}
			this.registry.channels().newCloseFuture().await(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.registry.closeAll();
		for (Channel udp : this.udpChannels) {
			udp.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
		}
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
		if (this.ownsBlockingExecutor) {
			this.blockingExecutor.shutdownNow();
		}
		logger.info("WebTransport server on {} stopped", this.udpChannels.get(0).localAddress());
	}

	private void announceShutdown(QuicChannel channel) {
		ConnectionState connection = ConnectionState.of(channel);
		QuicStreamChannel control = Http3.getLocalControlStream(channel);
		if (control != null && control.isActive()) {
			// GOAWAY carries the first request stream id this server will not process:
			// every id from now on.
			control.writeAndFlush(new DefaultHttp3GoAwayFrame(connection.nextUnseenRequestStreamId()));
		}
		for (SessionImpl session : connection.sessions()) {
			session.drain().subscribe(null, (error) -> {
			});
		}
	}

	private void closeConnection(QuicChannel channel) {
		ConnectionState connection = ConnectionState.of(channel);
		if (connection != null) {
			for (SessionImpl session : connection.sessions()) {
				session.terminate(new dev.stamp.webtransport.SessionCloseInfo(0, "server shutting down", false), true);
			}
		}
		// Let the CLOSE capsules leave before the connection closes.
		channel.eventLoop()
			.schedule(() -> channel.close(true, Http3ErrorCodes.H3_NO_ERROR, Unpooled.EMPTY_BUFFER), 50,
					TimeUnit.MILLISECONDS);
	}

	/** Shuts down with the configured grace period. */
	@Override
	public void close() {
		shutdownGracefully(this.config.shutdownGracePeriod());
	}

	/** Sets up each new QUIC connection. */
	private final class ConnectionInitializer extends ChannelInitializer<QuicChannel> {

		@Override
		protected void initChannel(QuicChannel channel) {
			if (!WebTransportServer.this.accepting || !WebTransportServer.this.registry.tryRegister(channel)) {
				// What the refused peer still sends until the close completes is counted,
				// not logged per packet.
				channel.pipeline().addLast(WebTransportServer.this.connectionErrors);
				channel.close(true, Http3ErrorCodes.H3_EXCESSIVE_LOAD, Unpooled.EMPTY_BUFFER);
				return;
			}
			ConnectionState connection = new ConnectionState(channel, true, WebTransportServer.this.engineLimits,
					WebTransportServer.this.stats, WebTransportServer.this.refusalLogs);
			channel.attr(ConnectionState.KEY).set(connection);
			WebTransportServerConfig config = WebTransportServer.this.config;
			channel.pipeline()
				.addLast(new HandshakeTimeoutHandler(config.handshakeTimeout(), config.peerErrors()))
				.addLast(new Http3ServerConnectionHandler(WebTransportServer.this.requestStreamInitializer,
						ControlStreamObserver.INSTANCE, StreamTypeDispatch.INSTANCE,
						WebTransportServer.this.localSettings, true, WebTransportSettings.VALIDATOR))
				.addLast(WebTransportServer.this.peerStreams);
		}

	}

	/** Gives every HTTP/3 request stream its own {@link ConnectRequestHandler}. */
	private final class RequestStreamInitializer extends ChannelInitializer<QuicStreamChannel> {

		@Override
		protected void initChannel(QuicStreamChannel stream) {
			stream.config().setAllowHalfClosure(true);
			stream.pipeline().addLast(DecoderFailureGuard.INSTANCE, new ConnectRequestHandler(WebTransportServer.this));
		}

	}

	/** Closes a connection whose QUIC handshake did not finish in time. */
	private static final class HandshakeTimeoutHandler extends ChannelInboundHandlerAdapter {

		private final Duration timeout;

		private final PeerErrors peerErrors;

		private ScheduledFuture<?> timer;

		HandshakeTimeoutHandler(Duration timeout, PeerErrors peerErrors) {
			this.timeout = timeout;
			this.peerErrors = peerErrors;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			if (ctx.channel().isActive()) {
				ctx.pipeline().remove(this);
				return;
			}
			this.timer = ctx.executor().schedule(() -> {
				if (!ctx.channel().isActive() && ctx.channel().isOpen()) {
					Object peer = ((QuicChannel) ctx.channel()).remoteSocketAddress();
					this.peerErrors.record(EngineStats.HANDSHAKE_TIMEOUT, peer,
							"QUIC handshake not complete in " + this.timeout.toMillis() + " ms; connection closed");
					ctx.channel().close();
				}
			}, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			cancel();
			ctx.fireChannelActive();
			ctx.pipeline().remove(this);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			cancel();
			ctx.fireChannelInactive();
		}

		private void cancel() {
			if (this.timer != null) {
				this.timer.cancel(false);
			}
		}

	}

}
