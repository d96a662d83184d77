package dev.stamp.webtransport.internal;

import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelConfig;
import io.netty.handler.codec.quic.QuicConnectionAddress;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicConnectionStats;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.codec.quic.QuicTransportParameters;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * A QUIC connection for driving the engine's connection-level handlers without a network:
 * an {@link EmbeddedChannel} that is a {@link QuicChannel}. It opens no streams and
 * collects no statistics.
 */
@SuppressWarnings("deprecation") // QuicChannelConfig still declares setMaxMessagesPerRead
final class EmbeddedQuicConnection extends EmbeddedChannel implements QuicChannel {

	/** The peer every event of this connection comes from. */
	static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4433);

	private ConnectionConfig connectionConfig;

	EmbeddedQuicConnection(ChannelHandler... handlers) {
		super(null, DefaultChannelId.newInstance(), false, false);
		pipeline().addLast(handlers);
		try {
			register();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Netty's event for a peer's CONNECTION_CLOSE (its constructor is not public). */
	static QuicConnectionCloseEvent closeEvent(boolean application, int error) {
		return construct(QuicConnectionCloseEvent.class, new Class<?>[] { boolean.class, int.class, byte[].class },
				application, error, new byte[0]);
	}

	/** Netty's event for negotiated DATAGRAM support (its constructor is not public). */
	static QuicDatagramExtensionEvent datagramEvent(int maxLength) {
		return construct(QuicDatagramExtensionEvent.class, new Class<?>[] { int.class }, maxLength);
	}

	private static <T> T construct(Class<T> type, Class<?>[] parameterTypes, Object... args) {
		try {
			Constructor<T> constructor = type.getDeclaredConstructor(parameterTypes);
			constructor.setAccessible(true);
			return constructor.newInstance(args);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public QuicChannelConfig config() {
		if (this.connectionConfig == null) {
			this.connectionConfig = new ConnectionConfig(this);
		}
		return this.connectionConfig;
	}

	@Override
	public QuicChannel read() {
		super.read();
		return this;
	}

	@Override
	public QuicChannel flush() {
		super.flush();
		return this;
	}

	@Override
	public SSLEngine sslEngine() {
		return null;
	}

	@Override
	public long peerAllowedStreams(QuicStreamType type) {
		return 0;
	}

	@Override
	public boolean isTimedOut() {
		return false;
	}

	@Override
	public QuicTransportParameters peerTransportParameters() {
		return null;
	}

	@Override
	public QuicConnectionAddress localAddress() {
		return QuicConnectionAddress.EPHEMERAL;
	}

	@Override
	public QuicConnectionAddress remoteAddress() {
		return QuicConnectionAddress.EPHEMERAL;
	}

	@Override
	public SocketAddress localSocketAddress() {
		return new InetSocketAddress("127.0.0.1", 0);
	}

	@Override
	public SocketAddress remoteSocketAddress() {
		return PEER;
	}

	@Override
	public Future<QuicStreamChannel> createStream(QuicStreamType type, ChannelHandler handler,
			Promise<QuicStreamChannel> promise) {
		return promise.setFailure(new UnsupportedOperationException("EmbeddedQuicConnection opens no streams"));
	}

	@Override
	public ChannelFuture close(boolean applicationClose, int error, ByteBuf reason, ChannelPromise promise) {
		reason.release();
		return close(promise);
	}

	@Override
	public Future<QuicConnectionStats> collectStats(Promise<QuicConnectionStats> promise) {
		return promise.setFailure(new UnsupportedOperationException("no statistics"));
	}

	@Override
	public Future<QuicConnectionPathStats> collectPathStats(int pathIdx, Promise<QuicConnectionPathStats> promise) {
		return promise.setFailure(new UnsupportedOperationException("no statistics"));
	}

	/** The connection's configuration: a channel configuration typed as QUIC's. */
	private static final class ConnectionConfig extends DefaultChannelConfig implements QuicChannelConfig {

		ConnectionConfig(EmbeddedQuicConnection connection) {
			super(connection);
		}

		@Override
		public QuicChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
			super.setMaxMessagesPerRead(maxMessagesPerRead);
			return this;
		}

		@Override
		public QuicChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
			super.setConnectTimeoutMillis(connectTimeoutMillis);
			return this;
		}

		@Override
		public QuicChannelConfig setWriteSpinCount(int writeSpinCount) {
			super.setWriteSpinCount(writeSpinCount);
			return this;
		}

		@Override
		public QuicChannelConfig setAllocator(ByteBufAllocator allocator) {
			super.setAllocator(allocator);
			return this;
		}

		@Override
		public QuicChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
			super.setRecvByteBufAllocator(allocator);
			return this;
		}

		@Override
		public QuicChannelConfig setAutoRead(boolean autoRead) {
			super.setAutoRead(autoRead);
			return this;
		}

		@Override
		public QuicChannelConfig setAutoClose(boolean autoClose) {
			super.setAutoClose(autoClose);
			return this;
		}

		@Override
		public QuicChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
			super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
			return this;
		}

		@Override
		public QuicChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
			super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
			return this;
		}

		@Override
		public QuicChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
			super.setWriteBufferWaterMark(writeBufferWaterMark);
			return this;
		}

		@Override
		public QuicChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
			super.setMessageSizeEstimator(estimator);
			return this;
		}

	}

}
