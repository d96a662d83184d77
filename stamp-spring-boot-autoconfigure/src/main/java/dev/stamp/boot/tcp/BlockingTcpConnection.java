package dev.stamp.boot.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.netty.Connection;

/**
 * Bridges a Reactor Netty connection to blocking reads and writes.
 * <p>
 * Reads request one buffer at a time from Reactor Netty, so at most one received chunk waits in memory per
 * connection and Netty stops reading from the socket while the handler is busy: TCP flow control pushes back on the
 * peer. Each chunk is copied to a byte array inside {@code onNext}, before Reactor Netty releases the buffer.
 */
final class BlockingTcpConnection extends BaseSubscriber<ByteBuf> implements TcpConnection {

	private static final byte[] END_OF_STREAM = new byte[0];

	private final Connection connection;

	private final Channel channel;

	private final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

	private volatile Throwable failure;

	private byte[] current = END_OF_STREAM;

	private int position;

	private boolean ended;

	BlockingTcpConnection(Connection connection) {
		this.connection = connection;
		this.channel = connection.channel();
		connection.inbound().receive().subscribe(this);
	}

	@Override
	protected void hookOnSubscribe(Subscription subscription) {
		subscription.request(1);
	}

	@Override
	protected void hookOnNext(ByteBuf buffer) {
		this.received.add(ByteBufUtil.getBytes(buffer));
	}

	@Override
	protected void hookOnComplete() {
		this.received.add(END_OF_STREAM);
	}

	@Override
	protected void hookOnError(Throwable error) {
		this.failure = error;
		this.received.add(END_OF_STREAM);
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
			if (this.ended) {
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
			request(1);
		}
		int length = Math.min(maxBytes, this.current.length - this.position);
		byte[] chunk = (this.position == 0 && length == this.current.length) ? this.current
				: Arrays.copyOfRange(this.current, this.position, this.position + length);
		this.position += length;
		return chunk;
	}

	@Override
	public void send(byte[] data) {
		if (!this.channel.isActive()) {
			throw new UncheckedIOException(new ClosedChannelException());
		}
		ChannelFuture written = this.channel.writeAndFlush(Unpooled.wrappedBuffer(data));
		if (!this.channel.isWritable()) {
			// The peer reads slower than we write: wait for this write to reach the socket before queueing more.
			written.awaitUninterruptibly();
		}
		if (written.isDone() && !written.isSuccess()) {
			throw new UncheckedIOException(new IOException("Send failed: " + written.cause().getMessage(),
					written.cause()));
		}
	}

	@Override
	public void close() {
		this.connection.dispose();
	}

	@Override
	public boolean isOpen() {
		return this.channel.isActive();
	}

}
