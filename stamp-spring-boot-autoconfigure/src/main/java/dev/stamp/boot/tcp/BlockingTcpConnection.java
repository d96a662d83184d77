package dev.stamp.boot.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import reactor.netty.Connection;

import dev.stamp.boot.listener.OrderlyClose;

/**
 * Bridges a TCP connection to blocking reads and writes.
 * <p>
 * The connection reads the channel itself, as a Netty handler, rather than through
 * Reactor Netty's inbound flux: received bytes, the peer's half-close (FIN) and failures
 * then reach {@link #read} in exactly the order they happened, so a client that sends and
 * then shuts down its output still gets every byte and then end of stream, while its
 * reply can still be sent. Each chunk is copied to a byte array and released at once.
 * Backpressure: when more than {@link #MAX_QUEUED_BYTES} wait for the handler, Netty
 * stops reading from the socket until the handler catches up, so TCP flow control pushes
 * back on a fast sender.
 * <p>
 * Closing, explicitly or because the handler returned, is an {@link OrderlyClose}: what
 * was sent is delivered first.
 */
final class BlockingTcpConnection extends ChannelInboundHandlerAdapter implements TcpConnection {

	static final String HANDLER_NAME = "stamp.blockingTcp";

	static final int MAX_QUEUED_BYTES = 64 * 1024;

	private static final byte[] END_OF_STREAM = new byte[0];

	private final Channel channel;

	private final Duration lingerTimeout;

	private final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

	/**
	 * Bytes queued and not yet taken by the handler; written on the event loop and the
	 * handler thread.
	 */
	private final AtomicLong queuedBytes = new AtomicLong();

	private volatile Throwable failure;

	private volatile boolean inputEnded;

	private volatile boolean closed;

	private byte[] current = END_OF_STREAM;

	private int position;

	private boolean ended;

	/**
	 * Must be created on the connection's event loop, before any byte is read.
	 * @param connection the Reactor Netty connection
	 * @param lingerTimeout how long a close waits for the peer's FIN
	 */
	BlockingTcpConnection(Connection connection, Duration lingerTimeout) {
		this.channel = connection.channel();
		this.lingerTimeout = lingerTimeout;
		// Last, behind the idle closer: the bytes it consumes are traffic that keeps the
		// connection from being idle.
		connection.addHandlerLast(HANDLER_NAME, this);
		// Reactor Netty reads only on demand from its inbound flux, which nobody
		// subscribes to here: read for it.
		this.channel.config().setAutoRead(true);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		if (!(message instanceof ByteBuf buffer)) {
			ctx.fireChannelRead(message);
			return;
		}
		try {
			if (this.inputEnded) {
				return;
			}
			byte[] bytes = ByteBufUtil.getBytes(buffer);
			this.received.add(bytes);
			if (this.queuedBytes.addAndGet(bytes.length) > MAX_QUEUED_BYTES) {
				ctx.channel().config().setAutoRead(false);
			}
		}
		finally {
			buffer.release();
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof ChannelInputShutdownEvent) {
			endInput(null);
		}
		ctx.fireUserEventTriggered(event);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		endInput(null);
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		endInput(cause);
		ctx.close();
	}

	private void endInput(Throwable cause) {
		if (this.inputEnded) {
			return;
		}
		this.failure = cause;
		this.inputEnded = true;
		this.received.add(END_OF_STREAM);
	}

	private void resumeReading() {
		if (this.queuedBytes.get() <= MAX_QUEUED_BYTES && !this.inputEnded && this.channel.isActive()) {
			this.channel.config().setAutoRead(true);
		}
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return (InetSocketAddress) this.channel.remoteAddress();
	}

	@Override
	public byte[] read(int maxBytes) {
		if (maxBytes < 1) {
			throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
		}
		if (this.position == this.current.length) {
			if (this.ended || this.closed) {
				return END_OF_STREAM;
			}
			try {
				this.current = this.received.take();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new UncheckedIOException(new IOException("Interrupted while reading", ex));
			}
			this.position = 0;
			if (this.current == END_OF_STREAM) {
				this.ended = true;
				Throwable error = this.failure;
				if (error != null) {
					throw new UncheckedIOException(new IOException("Connection failed: " + error.getMessage(), error));
				}
				return END_OF_STREAM;
			}
			long queued = this.queuedBytes.addAndGet(-this.current.length);
			if (queued <= MAX_QUEUED_BYTES && queued + this.current.length > MAX_QUEUED_BYTES) {
				// Decided on the event loop, after the read that crossed the limit has
				// turned reading off: checked here, that read could still be about to,
				// and with the queue drained nothing would turn it back on.
				this.channel.eventLoop().execute(this::resumeReading);
			}
		}
		int length = Math.min(maxBytes, this.current.length - this.position);
		byte[] chunk = (this.position == 0 && length == this.current.length) ? this.current
				: Arrays.copyOfRange(this.current, this.position, this.position + length);
		this.position += length;
		return chunk;
	}

	@Override
	public void send(byte[] data) {
		if (this.closed || !this.channel.isActive()) {
			throw new UncheckedIOException(new ClosedChannelException());
		}
		ChannelFuture written = this.channel.writeAndFlush(Unpooled.wrappedBuffer(data));
		if (!this.channel.isWritable()) {
			// The peer reads slower than we write: wait for this write to reach the
			// socket before queueing more.
			written.awaitUninterruptibly();
		}
		if (written.isDone() && !written.isSuccess()) {
			throw new UncheckedIOException(new IOException("Send failed: " + written.cause(), written.cause()));
		}
	}

	@Override
	public void close() {
		this.closed = true;
		OrderlyClose.start(this.channel, this.lingerTimeout);
	}

	@Override
	public boolean isOpen() {
		return !this.closed && this.channel.isActive();
	}

}
