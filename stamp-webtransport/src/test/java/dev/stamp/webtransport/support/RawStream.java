package dev.stamp.webtransport.support;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;

/**
 * A QUIC stream opened by a test on a client connection, bypassing the WebTransport client, to send exactly the
 * bytes a test wants (headers before sessions, garbage, truncated varints) and to observe what the server does.
 */
public final class RawStream extends ChannelInboundHandlerAdapter {

	private final ByteArrayOutputStream received = new ByteArrayOutputStream();

	private final CompletableFuture<byte[]> finished = new CompletableFuture<>();

	private QuicStreamChannel channel;

	private io.netty.channel.ChannelFuture lastWrite;

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
		ByteBuf buf = Unpooled.buffer(bytes.length);
		for (int b : bytes) {
			buf.writeByte(b);
		}
		this.channel.writeAndFlush(buf).syncUninterruptibly();
		return this;
	}

	public RawStream write(byte[] bytes) {
		this.channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
		return this;
	}

	/** Writes without waiting for QUIC to take the bytes: for more than the peer's flow-control window. */
	public RawStream writeAsync(byte[] bytes) {
		this.lastWrite = this.channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
		return this;
	}

	public RawStream fin() {
		// Nothing may be queued that shutdownOutput could cut off: the writes before were synced, or are awaited here.
		if (this.lastWrite != null) {
			this.lastWrite.syncUninterruptibly();
		}
		this.channel.shutdownOutput().syncUninterruptibly();
		return this;
	}

	/** Completes with all bytes at FIN, or fails with the reset (a {@link QuicStreamResetException}). */
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
