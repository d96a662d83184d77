package dev.stamp.webtransport.support;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;

import dev.stamp.webtransport.internal.ConnectionState;

/**
 * A QUIC stream opened by a test on a client connection, bypassing the WebTransport
 * client, to send exactly the bytes a test wants (headers before sessions, garbage,
 * truncated varints) and to observe what the server does.
 */
public final class RawStream extends ChannelInboundHandlerAdapter {

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	private final CompletableFuture<byte[]> finished = new CompletableFuture<>();

	private QuicStreamChannel channel;

	public static RawStream open(QuicChannel connection, QuicStreamType type) throws Exception {
		RawStream raw = new RawStream();
		QuicStreamChannel channel = connection.createStream(type, raw).get(5, TimeUnit.SECONDS);
		if (type == QuicStreamType.BIDIRECTIONAL) {
			channel.config().setAllowHalfClosure(true);
		}
		raw.channel = channel;
		return raw;
	}

	public long streamId() {
		return this.channel.streamId();
	}

	public RawStream write(int... bytes) {
		return write(toBytes(bytes));
	}

	public RawStream write(byte[] bytes) {
		send(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
		return this;
	}

	/**
	 * Writes the last bytes with FIN in the same frame. Not FIN alone: quiche does not
	 * retransmit a lost packet whose only content was FIN (cloudflare/quiche#2525), which
	 * would stall a test on a lossy moment of the loopback.
	 */
	public RawStream writeAndFin(int... bytes) {
		return writeAndFin(toBytes(bytes));
	}

	public RawStream writeAndFin(byte[] bytes) {
		send(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(bytes), true)).syncUninterruptibly();
		return this;
	}

	/**
	 * Like {@link #writeAndFin(byte[])}, without waiting for QUIC to take the bytes: for
	 * more than the peer's flow-control window.
	 */
	public RawStream writeAsyncAndFin(byte[] bytes) {
		send(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(bytes), true));
		return this;
	}

	private io.netty.channel.ChannelFuture send(Object message) {
		// This raw stream is not a session stream: tell the connection that data is on
		// its way, so that it keeps sending what quiche has ready (see QuicSendNudge).
		QuicChannel connection = this.channel.parent();
		connection.eventLoop().execute(() -> ConnectionState.of(connection).trafficExpected());
		return this.channel.writeAndFlush(message);
	}

	private static byte[] toBytes(int... bytes) {
		byte[] result = new byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			result[i] = (byte) bytes[i];
		}
		return result;
	}

	/**
	 * Completes with all bytes at FIN, or fails with the reset (a
	 * {@link QuicStreamResetException}).
	 */
	public CompletableFuture<byte[]> result() {
		return this.finished;
	}

	public boolean isOpen() {
		return this.channel.isOpen();
	}

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(RawStream.class);

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		logger.trace("raw {} active", ctx.channel());
		ctx.fireChannelActive();
	}

	@Override
	public synchronized void channelRead(ChannelHandlerContext ctx, Object msg) {
		logger.trace("raw {} read {}", ctx.channel(), msg);
		if (msg instanceof ByteBuf) {
			ByteBuf buf = (ByteBuf) msg;
			byte[] bytes = new byte[buf.readableBytes()];
			buf.readBytes(bytes);
			this.received.writeBytes(bytes);
		}
		ReferenceCountUtil.release(msg);
	}

	@Override
	public synchronized void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		logger.trace("raw {} event {}", ctx.channel(), evt);
		if (evt instanceof ChannelInputShutdownEvent) {
			this.finished.complete(this.received.toByteArray());
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		logger.trace("raw {} exception {}", ctx.channel(), cause.toString());
		this.finished.completeExceptionally(cause);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		logger.trace("raw {} inactive", ctx.channel());
		this.finished.completeExceptionally(new IllegalStateException("stream closed"));
	}

}
