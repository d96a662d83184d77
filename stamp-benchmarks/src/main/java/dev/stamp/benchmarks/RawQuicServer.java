package dev.stamp.benchmarks;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicCodecDispatcher;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.internal.QuicTransport;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.server.WebTransportServerConfig;
import dev.stamp.webtransport.tls.DevelopmentCertificate;

/**
 * The limit for the WebTransport figures: a raw Netty QUIC echo, without HTTP/3. Every
 * bidirectional stream is echoed on itself (FIN answered with FIN once everything was
 * echoed), every datagram is sent back; unidirectional streams are drained and dropped.
 * <p>
 * It uses the transport knobs of Stamp's WebTransport engine, so that the difference to
 * it is HTTP/3 and the engine: on epoll, one {@code SO_REUSEPORT} UDP socket per core,
 * each on its own event loop with its own codec behind a {@link QuicCodecDispatcher} (as
 * the engine does), recvmmsg and GSO (the engine's own {@code QuicTransport}); else one
 * NIO socket. Same flow-control windows and datagram queues as the engine's defaults, no
 * Retry, the same kind of development certificate (ALPN {@value #ALPN}).
 */
final class RawQuicServer implements AutoCloseable {

	static final String ALPN = "bench-echo";

	/**
	 * The engine's defaults, read from its configuration so that the two cannot drift
	 * apart.
	 */
	private static final WebTransportServerConfig STAMP_DEFAULTS = WebTransportServerConfig
		.builder(SessionAcceptor.of((session) -> Mono.empty()))
		.build();

	/** QUIC flow-control window per stream: Stamp's default. */
	static final long STREAM_WINDOW = STAMP_DEFAULTS.streamReceiveWindow();

	/** QUIC flow-control window per connection: Stamp's default. */
	static final long CONNECTION_WINDOW = STAMP_DEFAULTS.connectionReceiveWindow();

	/** Streams a peer may open at once: Stamp's default per session. */
	static final long MAX_STREAMS = STAMP_DEFAULTS.maxStreamsPerSession();

	/** QUIC datagram receive and send queues, as the engine configures them. */
	static final int DATAGRAM_QUEUE = 1024;

	private final DevelopmentCertificate certificate = DevelopmentCertificate.generate();

	private final AtomicInteger connections = new AtomicInteger();

	private final Duration idleTimeout;

	private final List<Channel> sockets = new ArrayList<>();

	private EventLoopGroup group;

	RawQuicServer(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	/** Binds 127.0.0.1 on a free port. */
	int start() throws InterruptedException {
		int sockets = QuicTransport.defaultServerThreads();
		this.group = QuicTransport.newGroup(sockets, "raw-quic");
		QuicSslContext ssl = QuicSslContextBuilder.forServer(this.certificate.keyManagerFactory(), null)
			.applicationProtocols(ALPN)
			.build();
		QuicServerCodecBuilder codec = new QuicServerCodecBuilder().sslContext(ssl)
			.maxIdleTimeout(this.idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.maxRecvUdpPayloadSize(QuicTransport.MAX_UDP_PAYLOAD_SIZE)
			.initialMaxData(CONNECTION_WINDOW)
			.initialMaxStreamDataBidirectionalLocal(STREAM_WINDOW)
			.initialMaxStreamDataBidirectionalRemote(STREAM_WINDOW)
			.initialMaxStreamDataUnidirectional(STREAM_WINDOW)
			.initialMaxStreamsBidirectional(MAX_STREAMS)
			.initialMaxStreamsUnidirectional(MAX_STREAMS)
			.datagram(DATAGRAM_QUEUE, DATAGRAM_QUEUE)
			// No Retry: a null token handler means no address validation round trip.
			.tokenHandler(null)
			.handler(new ConnectionHandler())
			.streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.streamHandler(new StreamInitializer())
			.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, QuicTransport.segmentedAllocator());
		// With several sockets, the dispatcher gives each its own codec and writes the
		// socket's index into the connection ids, so that a packet the kernel hands to
		// another socket still reaches its connection.
		ChannelHandler handler = (sockets == 1) ? codec.build() : new QuicCodecDispatcher() {
			@Override
			protected void initChannel(Channel channel, int localConnectionIdLength,
					QuicConnectionIdGenerator idGenerator) {
				channel.pipeline()
					.addLast(codec.clone()
						.localConnectionIdLength(localConnectionIdLength)
						.connectionIdAddressGenerator(idGenerator)
						.build());
			}
		};
		// The group hands each socket the next of its event loops: one socket per loop.
		Bootstrap bootstrap = QuicTransport.newBootstrap(this.group, sockets > 1).handler(handler);
		int port = 0;
		for (int i = 0; i < sockets; i++) {
			Channel socket = bootstrap.bind(LoadGenerator.HOST, port).sync().channel();
			port = ((InetSocketAddress) socket.localAddress()).getPort();
			this.sockets.add(socket);
		}
		return port;
	}

	/** SHA-256 of the server's certificate, which the client pins. */
	byte[] certificateSha256() {
		return this.certificate.sha256();
	}

	/** QUIC connections open now. */
	int connections() {
		return this.connections.get();
	}

	@Override
	public void close() {
		for (Channel socket : this.sockets) {
			socket.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
		}
		if (this.group != null) {
			this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
	}

	/**
	 * Ends the sending side of a stream (FIN) once the last write was accepted by QUIC: a
	 * shutdown right away would cut off queued writes. Always from a task of its own:
	 * with Netty 4.2.17, a FIN written while the stream is handling its read of the
	 * peer's FIN (from a {@link ChannelInputShutdownEvent} handler) goes into quiche but
	 * no packet is sent for it, and the peer waits for it until other traffic happens to
	 * carry it (it lost 30 % of the single-echo sessions of the session figure before
	 * this).
	 */
	static void finish(QuicStreamChannel stream, ChannelFuture lastWrite) {
		Runnable fin = () -> stream.eventLoop().execute(() -> stream.shutdownOutput());
		if (lastWrite == null || lastWrite.isDone()) {
			fin.run();
		}
		else {
			lastWrite.addListener((written) -> fin.run());
		}
	}

	/** Counts connections and echoes datagrams. */
	@ChannelHandler.Sharable
	private final class ConnectionHandler extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			RawQuicServer.this.connections.incrementAndGet();
			ctx.fireChannelActive();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			RawQuicServer.this.connections.decrementAndGet();
			ctx.fireChannelInactive();
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof ByteBuf) {
				// A datagram: the same buffer goes back, its ownership passes to the
				// channel.
				ctx.writeAndFlush(msg, ctx.voidPromise());
				return;
			}
			// A new stream: the end of the pipeline registers it (with the stream
			// handler).
			ctx.fireChannelRead(msg);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

	/** Gives every bidirectional stream an echo; drains unidirectional ones. */
	private static final class StreamInitializer extends ChannelInitializer<QuicStreamChannel> {

		@Override
		protected void initChannel(QuicStreamChannel stream) {
			stream.pipeline()
				.addLast((stream.type() == QuicStreamType.BIDIRECTIONAL) ? new StreamEchoHandler() : new Discard());
		}

	}

	/**
	 * Writes back what it reads and flushes once per read batch; stops reading while the
	 * stream is not writable, so that QUIC flow control holds the peer back instead of
	 * the outbound buffer growing. At FIN, ends its own side once the last echo was
	 * accepted by QUIC (a shutdown right away would cut off queued writes).
	 */
	private static final class StreamEchoHandler extends ChannelInboundHandlerAdapter {

		private ChannelFuture lastWrite;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			this.lastWrite = ctx.write(msg);
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
			if (!ctx.channel().isWritable()) {
				ctx.channel().config().setAutoRead(false);
			}
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			if (ctx.channel().isWritable()) {
				ctx.channel().config().setAutoRead(true);
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
			if (evt instanceof ChannelInputShutdownEvent) {
				ctx.flush();
				finish((QuicStreamChannel) ctx.channel(), this.lastWrite);
			}
			ReferenceCountUtil.release(evt);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

	/** Reads and drops a unidirectional stream. */
	private static final class Discard extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ReferenceCountUtil.release(msg);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}
