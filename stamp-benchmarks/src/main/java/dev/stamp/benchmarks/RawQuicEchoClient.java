package dev.stamp.benchmarks;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

import dev.stamp.webtransport.internal.QuicTransport;
import dev.stamp.webtransport.internal.SharedDatagramSockets;
import dev.stamp.webtransport.tls.CertificateHashTrustManager;

/**
 * {@link EchoClient} on raw Netty QUIC, for the raw QUIC echo ({@link RawQuicServer}).
 * Built like Stamp's WebTransport client, so that the client side differs as little as
 * possible between the peers: a UDP channel and codec per connection (or per so many
 * connections, as the Stamp client's {@code connectionsPerSocket}) on a shared group of
 * event loops, the engine's own UDP transport ({@code QuicTransport}), the same
 * flow-control windows and datagram queues, the server certificate pinned by its hash.
 */
final class RawQuicEchoClient implements EchoClient {

	private final EventLoopGroup group;

	private final QuicSslContext ssl;

	private final InetSocketAddress address;

	private final Duration idleTimeout;

	private final Duration timeout;

	private final @Nullable SourceAddresses sources;

	private final SharedDatagramSockets<InetSocketAddress> sockets;

	RawQuicEchoClient(int port, byte[] certificateSha256, int threads, Duration idleTimeout, Duration timeout,
			@Nullable SourceAddresses sources, int connectionsPerSocket) {
		this.sources = sources;
		this.sockets = new SharedDatagramSockets<>(connectionsPerSocket, this::bind);
		this.group = QuicTransport.newGroup(threads, "raw-quic-client");
		this.ssl = QuicSslContextBuilder.forClient()
			.trustManager(new CertificateHashTrustManager(List.of(certificateSha256)))
			.applicationProtocols(RawQuicServer.ALPN)
			.build();
		this.address = new InetSocketAddress(LoadGenerator.HOST, port);
		this.idleTimeout = idleTimeout;
		this.timeout = timeout;
	}

	@Override
	public Session open() throws Exception {
		SharedDatagramSockets<InetSocketAddress>.Lease socket = this.sockets
			.acquire((this.sources != null) ? this.sources.next() : new InetSocketAddress(0));
		DatagramReceiver datagrams = new DatagramReceiver();
		try {
			QuicChannel quic = QuicChannel.newBootstrap(socket.channel())
				.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, QuicTransport.segmentedAllocator())
				.handler(datagrams)
				.remoteAddress(this.address)
				.connect()
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			quic.closeFuture().addListener((closed) -> socket.release());
			return new RawSession(quic, datagrams, this.timeout);
		}
		catch (Exception ex) {
			socket.release();
			throw ex;
		}
	}

	private Channel bind(InetSocketAddress localAddress) {
		return QuicTransport.newBootstrap(this.group, false)
			.handler(new QuicClientCodecBuilder().sslContext(this.ssl)
				.maxIdleTimeout(this.idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
				.maxRecvUdpPayloadSize(QuicTransport.MAX_UDP_PAYLOAD_SIZE)
				.initialMaxData(RawQuicServer.CONNECTION_WINDOW)
				.initialMaxStreamDataBidirectionalLocal(RawQuicServer.STREAM_WINDOW)
				.initialMaxStreamDataBidirectionalRemote(RawQuicServer.STREAM_WINDOW)
				.initialMaxStreamDataUnidirectional(RawQuicServer.STREAM_WINDOW)
				.initialMaxStreamsBidirectional(RawQuicServer.MAX_STREAMS)
				.initialMaxStreamsUnidirectional(RawQuicServer.MAX_STREAMS)
				.datagram(RawQuicServer.DATAGRAM_QUEUE, RawQuicServer.DATAGRAM_QUEUE)
				.build())
			.bind(localAddress)
			.syncUninterruptibly()
			.channel();
	}

	@Override
	public void close() {
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
	}

	private static final class RawSession implements Session {

		private final QuicChannel quic;

		private final DatagramReceiver datagrams;

		private final Duration timeout;

		RawSession(QuicChannel quic, DatagramReceiver datagrams, Duration timeout) {
			this.quic = quic;
			this.datagrams = datagrams;
			this.timeout = timeout;
		}

		@Override
		public void startStreamEcho(StreamEcho echo) throws Exception {
			this.quic.createStream(QuicStreamType.BIDIRECTIONAL, new StreamEchoHandler(echo))
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public byte[] echoOnce(byte[] message, Duration timeout) throws Exception {
			CompletableFuture<byte[]> reply = new CompletableFuture<>();
			QuicStreamChannel stream = this.quic.createStream(QuicStreamType.BIDIRECTIONAL, new CollectHandler(reply))
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			ByteBuf request = stream.alloc().directBuffer(message.length).writeBytes(message);
			RawQuicServer.finish(stream, stream.writeAndFlush(request));
			return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public void startDatagrams(DatagramWindow window) {
			this.datagrams.receiver = window::received;
			// A direct buffer, as Stamp's client sends: the QUIC channel takes ownership
			// of it.
			window.start((datagram) -> this.quic
				.writeAndFlush(this.quic.alloc().directBuffer(datagram.length).writeBytes(datagram))
				.addListener((sent) -> {
					if (!sent.isSuccess()) {
						window.sendFailed(sent.cause());
					}
				}));
		}

		@Override
		public boolean isOpen() {
			return this.quic.isActive();
		}

		@Override
		public void close() {
			this.quic.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
		}

	}

	/** Hands the connection's datagrams, copied, to the receiver once there is one. */
	private static final class DatagramReceiver extends ChannelInboundHandlerAdapter {

		volatile Consumer<byte[]> receiver;

		@Override
		public boolean isSharable() {
			return false;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (!(msg instanceof ByteBuf)) {
				ctx.fireChannelRead(msg); // a stream the server opened: the end of the
											// pipeline registers it
				return;
			}
			try {
				Consumer<byte[]> current = this.receiver;
				if (current != null) {
					current.accept(ByteBufUtil.getBytes((ByteBuf) msg));
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

	}

	/**
	 * Sends chunks while the stream is writable (the outbound buffer's high-water mark
	 * and QUIC's stream credit hold it back) and the echo has room, hands what comes back
	 * to the echo, and ends the stream once the last chunk was accepted.
	 */
	private static final class StreamEchoHandler extends ChannelInboundHandlerAdapter {

		private final StreamEcho echo;

		private ChannelHandlerContext ctx;

		private ChannelFuture lastWrite;

		private boolean finishing;

		StreamEchoHandler(StreamEcho echo) {
			this.echo = echo;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			this.ctx = ctx;
			((QuicStreamChannel) ctx.channel()).config().setAllowHalfClosure(true);
			this.echo.wakeSender(() -> ctx.executor().execute(this::pump));
			if (ctx.channel().isActive()) {
				ctx.executor().execute(this::pump);
			}
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			pump();
			ctx.fireChannelActive();
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			pump();
		}

		private void pump() {
			if (this.finishing) {
				return;
			}
			Channel channel = this.ctx.channel();
			while (channel.isWritable()) {
				if (this.echo.stopping()) {
					finish();
					return;
				}
				if (!this.echo.hasRoom()) {
					break;
				}
				this.lastWrite = this.ctx.write(this.echo.nextChunk(this.ctx.alloc()));
			}
			this.ctx.flush();
		}

		/** FIN once everything written so far was accepted by QUIC. */
		private void finish() {
			this.finishing = true;
			this.echo.senderFinished();
			this.ctx.flush();
			RawQuicServer.finish((QuicStreamChannel) this.ctx.channel(), this.lastWrite);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (msg instanceof ByteBuf) {
					this.echo.received((ByteBuf) msg);
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
			if (evt instanceof ChannelInputShutdownEvent) {
				this.echo.finished();
			}
			ReferenceCountUtil.release(evt);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.echo.failed(cause.toString());
			ctx.close();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.echo.failed("stream closed before the server's FIN");
		}

	}

	/** Collects a stream's bytes until the server's FIN. */
	private static final class CollectHandler extends ChannelInboundHandlerAdapter {

		private final CompletableFuture<byte[]> reply;

		private ByteBuf received;

		CollectHandler(CompletableFuture<byte[]> reply) {
			this.reply = reply;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			((QuicStreamChannel) ctx.channel()).config().setAllowHalfClosure(true);
			this.received = ctx.alloc().heapBuffer();
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (msg instanceof ByteBuf) {
					this.received.writeBytes((ByteBuf) msg);
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
			if (evt instanceof ChannelInputShutdownEvent) {
				this.reply.complete(ByteBufUtil.getBytes(this.received));
			}
			ReferenceCountUtil.release(evt);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.reply.completeExceptionally(cause);
			ctx.close();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.reply.completeExceptionally(new IllegalStateException("stream closed before the server's FIN"));
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			this.received.release();
		}

	}

}
