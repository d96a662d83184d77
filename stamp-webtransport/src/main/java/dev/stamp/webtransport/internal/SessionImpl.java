package dev.stamp.webtransport.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

import dev.stamp.core.ConnectionRegistry;
import dev.stamp.webtransport.DatagramTooLargeException;
import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.protocol.Capsule;
import dev.stamp.webtransport.protocol.CapsuleCodec;
import dev.stamp.webtransport.protocol.CapsuleException;
import dev.stamp.webtransport.protocol.Dialect;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.protocol.HttpDatagrams;
import dev.stamp.webtransport.protocol.StreamTypes;
import dev.stamp.webtransport.protocol.VarInt;

/**
 * The engine's {@link WebTransportSession}, shared by server and client. State changes
 * happen on the connection's event loop; the public methods hop there.
 */
public final class SessionImpl implements WebTransportSession {

	private final long id;

	private final QuicStreamChannel connectStream;

	private final ConnectionState connection;

	private final SessionInfo info;

	private final Map<String, String> pathVariables;

	/** Created on first use: few sessions carry attributes. */
	private volatile @Nullable Map<String, Object> attributes;

	private final InboundQueue<WebTransportStream> bidiStreams;

	private final InboundQueue<WebTransportStream> uniStreams;

	private final InboundQueue<byte[]> datagrams;

	/*
	 * Both signals are emitted on the event loop only, so they need no serialising
	 * wrapper (subscribing from any thread stays safe).
	 */
	private final Sinks.One<SessionCloseInfo> closeSink = Sinks.unsafe().one();

	private final Sinks.Empty<Void> drainSink = Sinks.unsafe().empty();

	/**
	 * Created with the first capsule bytes the peer sends: an idle session's peer usually
	 * sends none; event loop only.
	 */
	private @Nullable CapsuleCodec capsules;

	/**
	 * Streams of this session that are open, {@code null} while there are none (an idle
	 * session holds no set); event loop only.
	 */
	private @Nullable Set<StreamImpl> streams;

	/** Peer-opened streams open now; event loop only. */
	private int peerStreams;

	private volatile boolean closed;

	private volatile boolean draining;

	public SessionImpl(long id, QuicStreamChannel connectStream, ConnectionState connection, SessionInfo info,
			Map<String, String> pathVariables, Map<String, Object> attributes) {
		this.id = id;
		this.connectStream = connectStream;
		this.connection = connection;
		this.info = info;
		// Already an unmodifiable copy in the route's order (SessionDecision).
		this.pathVariables = pathVariables;
		this.attributes = attributes.isEmpty() ? null : new ConcurrentHashMap<>(attributes);
		int maxStreams = connection.limits().maxStreamsPerSession();
		// One discard callback for both queues.
		Consumer<WebTransportStream> discard = this::discardQueuedStream;
		this.bidiStreams = new InboundQueue<>(maxStreams, (s) -> 1, null, discard);
		this.uniStreams = new InboundQueue<>(maxStreams, (s) -> 1, null, discard);
		this.datagrams = new InboundQueue<>(connection.limits().datagramQueueSize(), (d) -> 1, null, null);
	}

	EngineStats stats() {
		return this.connection.stats();
	}

	private EventLoop eventLoop() {
		return this.connectStream.eventLoop();
	}

	private QuicChannel quicChannel() {
		return this.connectStream.parent();
	}

	/**
	 * The id the server's connection registry gave the session's QUIC connection.
	 * @return the connection's id, or {@code -1} on the client
	 */
	public long connectionId() {
		return ConnectionRegistry.idOf(quicChannel());
	}

	// ---- metadata

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return this.info.remoteAddress();
	}

	@Override
	public String path() {
		return this.info.path();
	}

	@Override
	public @Nullable String query() {
		return this.info.query();
	}

	@Override
	public String authority() {
		return this.info.authority();
	}

	@Override
	public @Nullable String origin() {
		return this.info.origin();
	}

	@Override
	public Map<String, List<String>> headers() {
		return this.info.headers();
	}

	@Override
	public Map<String, String> pathVariables() {
		return this.pathVariables;
	}

	@Override
	public Map<String, Object> attributes() {
		Map<String, Object> map = this.attributes;
		if (map == null) {
			synchronized (this) {
				map = this.attributes;
				if (map == null) {
					map = new ConcurrentHashMap<>();
					this.attributes = map;
				}
			}
		}
		return map;
	}

	@Override
	public Dialect dialect() {
		return this.info.dialect();
	}

	@Override
	public boolean isOpen() {
		return !this.closed;
	}

	@Override
	public boolean isDraining() {
		return this.draining;
	}

	// ---- event-loop side: streams, datagrams, capsules

	/**
	 * Takes a peer-opened stream whose header named this session. Installs the stream
	 * handler at the end of the pipeline; bytes already read follow through the pipeline.
	 * @param channel the peer's stream
	 * @return {@code false} if the stream was refused (session closed or over the stream
	 * limit) and aborted
	 */
	boolean attachPeerStream(QuicStreamChannel channel) {
		if (this.closed) {
			this.connection.stats().refused(EngineStats.STREAM_UNKNOWN_SESSION);
			abortChannel(channel, Http3ErrorCodes.WT_SESSION_GONE);
			return false;
		}
		if (this.peerStreams >= this.connection.limits().maxStreamsPerSession()) {
			this.connection.stats().refused(EngineStats.MAX_STREAMS_PER_SESSION);
			this.connection.refusalLog(EngineStats.MAX_STREAMS_PER_SESSION).refused(remoteAddress());
			abortChannel(channel, Http3ErrorCodes.H3_REQUEST_REJECTED);
			return false;
		}
		this.peerStreams++;
		StreamImpl stream = new StreamImpl(channel, this);
		addStream(stream);
		this.connection.trafficExpected();
		channel.pipeline().addLast(new StreamHandler(stream));
		this.connection.stats().incomingStream();
		if (stream.isBidirectional()) {
			this.bidiStreams.offer(stream);
		}
		else {
			this.uniStreams.offer(stream);
		}
		return true;
	}

	static void abortChannel(QuicStreamChannel channel, long http3Code) {
		if (channel.type() == QuicStreamType.BIDIRECTIONAL || channel.isLocalCreated()) {
			StreamErrors.resetSending(channel, http3Code);
		}
		if (channel.type() == QuicStreamType.BIDIRECTIONAL || !channel.isLocalCreated()) {
			StreamErrors.stopReceiving(channel, http3Code);
		}
		channel.close();
	}

	private void discardQueuedStream(WebTransportStream stream) {
		StreamImpl impl = (StreamImpl) stream;
		impl.channel().eventLoop().execute(() -> impl.abort(Http3ErrorCodes.WT_SESSION_GONE));
	}

	/**
	 * Whether any stream of this session is open; event loop only.
	 * @return {@code true} if a stream is open
	 */
	boolean hasStreams() {
		return this.streams != null;
	}

	private void addStream(StreamImpl stream) {
		if (this.streams == null) {
			this.streams = new HashSet<>(4);
		}
		this.streams.add(stream);
	}

	void streamClosed(StreamImpl stream) {
		if (this.streams != null && this.streams.remove(stream)) {
			if (this.streams.isEmpty()) {
				this.streams = null;
			}
			if (!stream.isLocallyOpened()) {
				this.peerStreams--;
			}
		}
	}

	/**
	 * A datagram for this session; the caller keeps ownership of {@code payload}.
	 * @param payload the datagram's payload
	 */
	void onDatagram(ByteBuf payload) {
		if (payload.readableBytes() > this.connection.limits().maxDatagramPayloadSize()) {
			this.connection.stats().refused(EngineStats.DATAGRAM_TOO_LARGE);
			return;
		}
		if (!this.closed && !this.datagrams.hasRoom()) {
			this.connection.stats().refused(EngineStats.DATAGRAM_QUEUE_FULL);
			return;
		}
		byte[] bytes = new byte[payload.readableBytes()];
		payload.readBytes(bytes);
		onDatagram(bytes);
	}

	/**
	 * A datagram for this session, already copied (for example while it waited for the
	 * session).
	 * @param payload the datagram's payload
	 */
	void onDatagram(byte[] payload) {
		if (this.closed) {
			this.connection.stats().refused(EngineStats.DATAGRAM_UNKNOWN_SESSION);
			return;
		}
		if (!this.datagrams.hasRoom()) {
			this.connection.stats().refused(EngineStats.DATAGRAM_QUEUE_FULL);
			return;
		}
		this.connection.stats().datagramReceived();
		this.datagrams.offer(payload);
	}

	/**
	 * Bytes of an HTTP/3 DATA frame on the CONNECT stream; the caller keeps ownership of
	 * {@code content}.
	 * @param content the frame's bytes
	 */
	public void onConnectStreamData(ByteBuf content) {
		if (this.closed) {
			return;
		}
		if (this.capsules == null) {
			this.capsules = new CapsuleCodec(this.connectStream.alloc());
		}
		try {
			this.capsules.decode(content, this::onCapsule);
		}
		catch (CapsuleException ex) {
			this.connection.peerError(EngineStats.MALFORMED_CAPSULE,
					"malformed capsule on session " + this.id + "; CONNECT stream reset with H3_MESSAGE_ERROR", ex);
			// A malformed capsule makes the CONNECT message malformed (RFC 9297, 3.3).
			abortChannel(this.connectStream, Http3ErrorCodes.H3_MESSAGE_ERROR);
			terminate(new SessionCloseInfo(Http3ErrorCodes.H3_GENERAL_PROTOCOL_ERROR, "malformed capsule", false),
					false);
		}
	}

	private void onCapsule(Capsule capsule) {
		if (capsule instanceof Capsule.Close) {
			Capsule.Close close = (Capsule.Close) capsule;
			terminate(new SessionCloseInfo(close.code(), close.reason(), true), false);
		}
		else if (capsule instanceof Capsule.Drain) {
			markDraining();
		}
	}

	/** The peer ended the CONNECT stream (FIN). */
	public void onConnectStreamInputClosed() {
		if (!this.closed) {
			try {
				if (this.capsules != null) {
					this.capsules.endOfInput();
				}
				terminate(new SessionCloseInfo(0, "", true), false);
			}
			catch (CapsuleException ex) {
				this.connection.peerError(EngineStats.MALFORMED_CAPSULE, "CONNECT stream of session " + this.id
						+ " ended inside a capsule; CONNECT stream reset with H3_MESSAGE_ERROR", ex);
				abortChannel(this.connectStream, Http3ErrorCodes.H3_MESSAGE_ERROR);
				terminate(new SessionCloseInfo(Http3ErrorCodes.H3_GENERAL_PROTOCOL_ERROR, "truncated capsule", true),
						false);
			}
		}
		closeConnectStreamIfDone();
	}

	/** The CONNECT stream is gone (reset, connection closed). */
	public void onConnectStreamClosed() {
		terminate(new SessionCloseInfo(0, "CONNECT stream closed", true), false);
		if (this.capsules != null) {
			this.capsules.release();
		}
	}

	/** The peer (or a GOAWAY) asked for this session to be drained. */
	void onDrainRequested() {
		markDraining();
	}

	private void markDraining() {
		this.draining = true;
		this.drainSink.tryEmitEmpty();
	}

	/**
	 * Ends the session once: optionally sends CLOSE_WEBTRANSPORT_SESSION, ends the
	 * CONNECT stream, aborts the session's streams, empties the queues and signals the
	 * close. Event loop only.
	 * @param closeInfo the close code and reason to report and maybe send
	 * @param sendCapsule whether to send CLOSE_WEBTRANSPORT_SESSION to the peer
	 */
	public void terminate(SessionCloseInfo closeInfo, boolean sendCapsule) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.connection.trafficExpected();
		if (this.connectStream.isActive() && !this.connectStream.isOutputShutdown()) {
			ChannelFuture ended;
			if (sendCapsule) {
				ByteBuf capsule = CapsuleCodec.encode(this.connectStream.alloc(),
						new Capsule.Close(closeInfo.code(), closeInfo.reason()));
				// The DATA frame takes ownership of the capsule buffer; the HTTP/3
				// encoder releases it.
				ended = this.connectStream.writeAndFlush(new DefaultHttp3DataFrame(capsule))
					.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
			}
			else {
				ended = this.connectStream.shutdownOutput();
			}
			ended.addListener((f) -> eventLoop().execute(this::closeConnectStreamIfDone));
		}
		if (this.streams != null) {
			for (StreamImpl stream : this.streams.toArray(new StreamImpl[0])) {
				stream.abort(Http3ErrorCodes.WT_SESSION_GONE);
			}
		}
		// Consumers of the stream queues see the end of the session as completion: the
		// close signal says why.
		this.bidiStreams.close(null);
		this.uniStreams.close(null);
		this.datagrams.complete();
		this.connection.sessionEnded(this);
		this.drainSink.tryEmitEmpty();
		this.closeSink.tryEmitValue(closeInfo);
	}

	private void closeConnectStreamIfDone() {
		if (this.connectStream.isInputShutdown() && this.connectStream.isOutputShutdown()) {
			this.connectStream.close();
		}
	}

	// ---- reactive API

	@Override
	public Flux<WebTransportStream> acceptedBidiStreams() {
		return this.bidiStreams.flux();
	}

	@Override
	public Flux<WebTransportStream> acceptedUniStreams() {
		return this.uniStreams.flux();
	}

	@Override
	public Mono<WebTransportStream> openBidiStream() {
		return openStream(QuicStreamType.BIDIRECTIONAL);
	}

	@Override
	public Mono<WebTransportStream> openUniStream() {
		return openStream(QuicStreamType.UNIDIRECTIONAL);
	}

	private Mono<WebTransportStream> openStream(QuicStreamType type) {
		return Mono.create((sink) -> eventLoop().execute(() -> openStream(type, sink)));
	}

	private void openStream(QuicStreamType type, MonoSink<WebTransportStream> sink) {
		if (this.closed) {
			sink.error(new WebTransportSessionException("Session " + this.id + " is closed"));
			return;
		}
		StreamImpl[] created = new StreamImpl[1];
		quicChannel().createStream(type, new ChannelInitializer<QuicStreamChannel>() {
			@Override
			protected void initChannel(QuicStreamChannel channel) {
				if (type == QuicStreamType.BIDIRECTIONAL) {
					channel.config().setAllowHalfClosure(true);
				}
				created[0] = new StreamImpl(channel, SessionImpl.this);
				channel.pipeline().addLast(new StreamHandler(created[0]));
			}
		}).addListener((future) -> {
			if (!future.isSuccess() || created[0] == null) {
				sink.error(new WebTransportSessionException("Could not open a " + type.name().toLowerCase()
						+ " stream (the peer may have granted no more streams)", future.cause()));
				return;
			}
			StreamImpl stream = created[0];
			if (this.closed) {
				stream.abort(Http3ErrorCodes.WT_SESSION_GONE);
				sink.error(new WebTransportSessionException("Session " + this.id + " is closed"));
				return;
			}
			addStream(stream);
			this.connection.trafficExpected();
			this.connection.stats().outgoingStream();
			long signal = (type == QuicStreamType.BIDIRECTIONAL) ? StreamTypes.BIDI_SIGNAL
					: StreamTypes.UNI_STREAM_TYPE;
			ByteBuf header = stream.channel().alloc().directBuffer(16);
			VarInt.write(header, signal);
			VarInt.write(header, this.id);
			// The channel takes ownership of the header buffer.
			stream.channel().writeAndFlush(header);
			sink.success(stream);
		});
	}

	@Override
	public Flux<byte[]> datagrams() {
		return this.datagrams.flux();
	}

	@Override
	public Mono<Void> sendDatagram(byte[] payload) {
		int max = maxDatagramSize();
		if (max <= 0) {
			return Mono.error(new WebTransportSessionException("The peer does not accept datagrams"));
		}
		if (payload.length > max) {
			return Mono.error(new DatagramTooLargeException(payload.length, max));
		}
		if (this.closed) {
			return Mono.error(new WebTransportSessionException("Session " + this.id + " is closed"));
		}
		return Mono.create((sink) -> {
			ByteBuf datagram = HttpDatagrams.encode(quicChannel().alloc(), this.id, payload);
			// The QUIC channel takes ownership of the datagram buffer.
			quicChannel().writeAndFlush(datagram).addListener((f) -> {
				if (f.isSuccess()) {
					this.connection.stats().datagramSent();
					sink.success();
				}
				else {
					sink.error(new WebTransportSessionException("Datagram not sent", f.cause()));
				}
			});
		});
	}

	@Override
	public int maxDatagramSize() {
		int frame = this.connection.maxDatagramFrameSize();
		if (frame <= 0) {
			return 0;
		}
		int quicLimit = Math.max(0, frame - HttpDatagrams.prefixLength(this.id));
		return Math.min(quicLimit, this.connection.limits().maxDatagramPayloadSize());
	}

	@Override
	public Mono<Void> close(long code, String reason) {
		// Validate eagerly so a bad code or reason fails the caller instead of the event
		// loop.
		CapsuleCodec.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, new Capsule.Close(code, reason))
			.release();
		return Mono.create((sink) -> eventLoop().execute(() -> {
			terminate(new SessionCloseInfo(code, (reason != null) ? reason : "", false), true);
			sink.success();
		}));
	}

	@Override
	public Mono<Void> drain() {
		return Mono.create((sink) -> eventLoop().execute(() -> {
			if (this.closed || !this.connectStream.isActive() || this.connectStream.isOutputShutdown()) {
				sink.success();
				return;
			}
			markDraining();
			this.connection.trafficExpected();
			ByteBuf capsule = CapsuleCodec.encode(this.connectStream.alloc(), new Capsule.Drain());
			// The DATA frame takes ownership of the capsule buffer.
			ChannelFuture written = this.connectStream.writeAndFlush(new DefaultHttp3DataFrame(capsule));
			written.addListener((f) -> sink.success());
		}));
	}

	@Override
	public Mono<SessionCloseInfo> closeSignal() {
		return this.closeSink.asMono();
	}

	@Override
	public Mono<Void> drainSignal() {
		return this.drainSink.asMono();
	}

	// ---- blocking API

	@Override
	public @Nullable WebTransportStream acceptBidiStream(Duration timeout) throws InterruptedException {
		return pollQueue(this.bidiStreams, timeout);
	}

	@Override
	public @Nullable WebTransportStream acceptUniStream(Duration timeout) throws InterruptedException {
		return pollQueue(this.uniStreams, timeout);
	}

	@Override
	public byte @Nullable [] receiveDatagram(Duration timeout) throws InterruptedException {
		return pollQueue(this.datagrams, timeout);
	}

	private <T> T pollQueue(InboundQueue<T> queue, Duration timeout) throws InterruptedException {
		if (eventLoop().inEventLoop()) {
			throw new IllegalStateException("Blocking session call on a Netty event loop");
		}
		try {
			return queue.poll(timeout);
		}
		catch (InboundQueue.QueueFailedException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return "WebTransportSession[id=" + this.id + ", remote=" + remoteAddress() + ", path=" + path() + "]";
	}

}
