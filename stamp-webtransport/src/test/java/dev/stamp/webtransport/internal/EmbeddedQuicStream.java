package dev.stamp.webtransport.internal;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamAddress;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamChannelConfig;
import io.netty.handler.codec.quic.QuicStreamPriority;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.DefaultAttributeMap;

import dev.stamp.webtransport.protocol.Dialect;

/**
 * A QUIC stream for driving the engine's stream handlers without a network: an
 * {@link EmbeddedChannel} that is a {@link QuicStreamChannel}, whose parent connection
 * carries a {@link ConnectionState} and answers nothing else. Peer-opened unless made by
 * {@link #locallyOpened}. Records the error codes the stream is reset and stopped with,
 * and those its connection is closed with.
 */
@SuppressWarnings("deprecation") // QuicStreamChannelConfig still declares the single
									// water mark setters
final class EmbeddedQuicStream extends EmbeddedChannel implements QuicStreamChannel {

	private final QuicChannel connection;

	private final long streamId;

	private final QuicStreamType type;

	private final boolean localCreated;

	private StreamConfig streamConfig;

	private boolean inputShutdown;

	private boolean outputShutdown;

	/**
	 * The codes of RESET_STREAM ("reset:...") and STOP_SENDING ("stop:...") in the order
	 * they were sent.
	 */
	final List<String> shutdowns = new ArrayList<>();

	/** The application error codes the connection was closed with, in order. */
	final List<Integer> connectionCloses = new ArrayList<>();

	private EmbeddedQuicStream(QuicChannel connection, long streamId, QuicStreamType type, boolean localCreated) {
		super(connection, DefaultChannelId.newInstance(), false, false);
		this.connection = connection;
		this.streamId = streamId;
		this.type = type;
		this.localCreated = localCreated;
	}

	/**
	 * A peer-opened stream of a connection whose WebTransport state is made by
	 * {@code state} (given the connection).
	 */
	static EmbeddedQuicStream peerOpened(long streamId, QuicStreamType type, ByteBufAllocator allocator,
			Function<QuicChannel, ConnectionState> state) {
		return open(streamId, type, false, allocator, state);
	}

	/**
	 * A stream this side opened, on a connection whose WebTransport state is made by
	 * {@code state} (given the connection).
	 */
	static EmbeddedQuicStream locallyOpened(long streamId, QuicStreamType type, ByteBufAllocator allocator,
			Function<QuicChannel, ConnectionState> state) {
		return open(streamId, type, true, allocator, state);
	}

	private static EmbeddedQuicStream open(long streamId, QuicStreamType type, boolean localCreated,
			ByteBufAllocator allocator, Function<QuicChannel, ConnectionState> state) {
		EmbeddedQuicStream[] stream = new EmbeddedQuicStream[1];
		DefaultAttributeMap attributes = new DefaultAttributeMap();
		InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 4433);
		QuicChannel connection = (QuicChannel) Proxy.newProxyInstance(QuicChannel.class.getClassLoader(),
				new Class<?>[] { QuicChannel.class }, (proxy, method, args) -> switch (method.getName()) {
					case "attr" -> attributes.attr((AttributeKey<?>) args[0]);
					case "hasAttr" -> attributes.hasAttr((AttributeKey<?>) args[0]);
					case "eventLoop" -> stream[0].eventLoop();
					case "remoteSocketAddress", "remoteAddress" -> peer;
					case "close" -> closeConnection(stream[0], args);
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "toString" -> "EmbeddedQuicConnection";
					default -> throw new UnsupportedOperationException("QuicChannel." + method.getName());
				});
		stream[0] = new EmbeddedQuicStream(connection, streamId, type, localCreated);
		connection.attr(ConnectionState.KEY).set(state.apply(connection));
		return stream[0].registered(allocator);
	}

	private EmbeddedQuicStream registered(ByteBufAllocator allocator) {
		config().setAllocator(allocator);
		try {
			register();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return this;
	}

	/**
	 * Another peer-opened stream of this stream's connection (with its own event loop;
	 * the connection's is this stream's).
	 */
	EmbeddedQuicStream sibling(long streamId, QuicStreamType type) {
		return new EmbeddedQuicStream(this.connection, streamId, type, false).registered(config().getAllocator());
	}

	/**
	 * Takes this stream as the CONNECT stream of an accepted session: the session (whose
	 * id is this stream's) is registered with the connection, which hands it what waited
	 * for it.
	 */
	SessionImpl acceptAsSession() {
		ConnectionState state = ConnectionState.of(this.connection);
		SessionInfo info = new SessionInfo((InetSocketAddress) this.connection.remoteSocketAddress(), "/test", null,
				"localhost", null, Map.of(), Dialect.LATEST);
		SessionImpl session = new SessionImpl(this.streamId, this, state, info, Map.of(), Map.of());
		state.registerSession(session);
		return session;
	}

	/** {@code QuicChannel.close(applicationClose, error, reason[, promise])}. */
	private static ChannelFuture closeConnection(EmbeddedQuicStream stream, Object[] args) {
		if (args == null || args.length < 3) {
			throw new UnsupportedOperationException("QuicChannel.close without an error code");
		}
		((ByteBuf) args[2]).release();
		stream.connectionCloses.add((Integer) args[1]);
		return stream.newSucceededFuture();
	}

	/**
	 * The peer's FIN: the input is shut down, and the pipeline hears of it as Netty QUIC
	 * tells it.
	 */
	void fin() {
		this.inputShutdown = true;
		pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
		runPendingTasks();
	}

	@Override
	public QuicChannel parent() {
		return this.connection;
	}

	@Override
	public QuicStreamChannelConfig config() {
		if (this.streamConfig == null) {
			this.streamConfig = new StreamConfig(this);
		}
		return this.streamConfig;
	}

	@Override
	public long streamId() {
		return this.streamId;
	}

	@Override
	public QuicStreamType type() {
		return this.type;
	}

	@Override
	public boolean isLocalCreated() {
		return this.localCreated;
	}

	@Override
	public QuicStreamAddress localAddress() {
		return new QuicStreamAddress(this.streamId);
	}

	@Override
	public QuicStreamAddress remoteAddress() {
		return new QuicStreamAddress(this.streamId);
	}

	@Override
	public QuicStreamPriority priority() {
		return null;
	}

	@Override
	public ChannelFuture updatePriority(QuicStreamPriority priority, ChannelPromise promise) {
		return promise.setSuccess();
	}

	@Override
	public QuicStreamChannel read() {
		super.read();
		return this;
	}

	@Override
	public QuicStreamChannel flush() {
		super.flush();
		return this;
	}

	@Override
	public boolean isInputShutdown() {
		return this.inputShutdown;
	}

	@Override
	public boolean isOutputShutdown() {
		return this.outputShutdown;
	}

	@Override
	public boolean isShutdown() {
		return this.inputShutdown && this.outputShutdown;
	}

	@Override
	public ChannelFuture shutdownInput(ChannelPromise promise) {
		return shutdownInput(0, promise);
	}

	@Override
	public ChannelFuture shutdownInput(int error, ChannelPromise promise) {
		this.inputShutdown = true;
		this.shutdowns.add("stop:0x" + Integer.toHexString(error));
		return promise.setSuccess();
	}

	@Override
	public ChannelFuture shutdownOutput(ChannelPromise promise) {
		return shutdownOutput(0, promise);
	}

	@Override
	public ChannelFuture shutdownOutput(int error, ChannelPromise promise) {
		this.outputShutdown = true;
		this.shutdowns.add("reset:0x" + Integer.toHexString(error));
		return promise.setSuccess();
	}

	@Override
	public ChannelFuture shutdown(ChannelPromise promise) {
		return shutdown(0, promise);
	}

	@Override
	public ChannelFuture shutdown(int error, ChannelPromise promise) {
		shutdownInput(error, newPromise());
		return shutdownOutput(error, promise);
	}

	/**
	 * The stream's configuration: a channel configuration plus the QUIC stream options
	 * the engine sets.
	 */
	private static final class StreamConfig extends DefaultChannelConfig implements QuicStreamChannelConfig {

		private volatile boolean allowHalfClosure;

		private volatile boolean readFrames;

		StreamConfig(EmbeddedQuicStream stream) {
			super(stream);
		}

		@Override
		public boolean isAllowHalfClosure() {
			return this.allowHalfClosure;
		}

		@Override
		public QuicStreamChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
			this.allowHalfClosure = allowHalfClosure;
			return this;
		}

		@Override
		public boolean isReadFrames() {
			return this.readFrames;
		}

		@Override
		public QuicStreamChannelConfig setReadFrames(boolean readFrames) {
			this.readFrames = readFrames;
			return this;
		}

		@Override
		public QuicStreamChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
			super.setMaxMessagesPerRead(maxMessagesPerRead);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setWriteSpinCount(int writeSpinCount) {
			super.setWriteSpinCount(writeSpinCount);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setAllocator(ByteBufAllocator allocator) {
			super.setAllocator(allocator);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
			super.setRecvByteBufAllocator(allocator);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setAutoRead(boolean autoRead) {
			super.setAutoRead(autoRead);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setAutoClose(boolean autoClose) {
			super.setAutoClose(autoClose);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
			super.setMessageSizeEstimator(estimator);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
			super.setWriteBufferWaterMark(writeBufferWaterMark);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
			super.setConnectTimeoutMillis(connectTimeoutMillis);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
			super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
			return this;
		}

		@Override
		public QuicStreamChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
			super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
			return this;
		}

	}

}
