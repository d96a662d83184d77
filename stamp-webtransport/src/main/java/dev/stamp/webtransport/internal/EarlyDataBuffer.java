package dev.stamp.webtransport.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

import dev.stamp.webtransport.protocol.Http3ErrorCodes;

/**
 * What arrived on one QUIC connection before its session was known: peer streams and
 * datagrams that name a session whose CONNECT is still being admitted (or, on a server,
 * not read yet). They wait within the connection's budget ({@link EngineLimits}: counts,
 * bytes and a deadline), are handed over when the session appears, and are refused when
 * it does not or their time runs out. Part of a {@link ConnectionState}; event loop only.
 */
final class EarlyDataBuffer {

	private final ConnectionState connection;

	private final ArrayDeque<PendingStreamHandler> pendingStreams = new ArrayDeque<>();

	private final ArrayDeque<PendingDatagram> pendingDatagrams = new ArrayDeque<>();

	private int pendingBytes;

	private @Nullable ScheduledFuture<?> sweeper;

	EarlyDataBuffer(ConnectionState connection) {
		this.connection = connection;
	}

	/**
	 * Whether a stream waits: data may be on its way.
	 * @return {@code true} if a stream waits
	 */
	boolean holdsStreams() {
		return !this.pendingStreams.isEmpty();
	}

	/**
	 * Holds a peer stream for {@code sessionId}, or refuses it if too many wait already.
	 * Called while the stream's header decoder is still in the pipeline: the handler
	 * installed here receives the bytes that followed the header.
	 * @param stream the peer stream
	 * @param sessionId the id of the session the stream belongs to
	 */
	void holdStream(QuicStreamChannel stream, long sessionId) {
		EngineLimits limits = this.connection.limits();
		if (this.pendingStreams.size() >= limits.maxPendingStreams()) {
			this.connection.stats().refused(EngineStats.PENDING_STREAM_OVERFLOW);
			this.connection.refusalLog(EngineStats.PENDING_STREAM_OVERFLOW)
				.refused(this.connection.channel().remoteSocketAddress());
			SessionImpl.abortChannel(stream, Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);
			return;
		}
		PendingStreamHandler pending = new PendingStreamHandler(this, stream, sessionId, deadline());
		this.pendingStreams.add(pending);
		this.connection.trafficExpected();
		stream.pipeline().addLast(pending);
		scheduleSweep();
	}

	/**
	 * Keeps a copy of a datagram for {@code sessionId}, or drops it if the budget is
	 * spent; the caller keeps ownership of {@code datagram}.
	 * @param sessionId the id of the session the datagram belongs to
	 * @param datagram the datagram's payload
	 */
	void holdDatagram(long sessionId, ByteBuf datagram) {
		int length = datagram.readableBytes();
		if (this.pendingDatagrams.size() >= this.connection.limits().maxPendingDatagrams() || !reserveBytes(length)) {
			this.connection.stats().refused(EngineStats.PENDING_DATAGRAM_OVERFLOW);
			return;
		}
		byte[] payload = new byte[length];
		datagram.readBytes(payload);
		this.pendingDatagrams.add(new PendingDatagram(sessionId, payload, deadline()));
		scheduleSweep();
	}

	private long deadline() {
		return System.nanoTime() + this.connection.limits().pendingTimeout().toNanos();
	}

	/**
	 * A waiting stream buffered more bytes.
	 * @param bytes the number of bytes buffered
	 * @return {@code false} if that exceeds the connection's pending budget
	 */
	boolean reserveBytes(int bytes) {
		if (this.pendingBytes + bytes > this.connection.limits().maxPendingBytes()) {
			return false;
		}
		this.pendingBytes += bytes;
		return true;
	}

	/**
	 * A waiting stream gave back bytes it had reserved with {@link #reserveBytes(int)}.
	 * @param bytes the number of bytes given back
	 */
	void releaseBytes(int bytes) {
		this.pendingBytes -= bytes;
	}

	/**
	 * A waiting stream went away or was refused; it gives its bytes back itself
	 * ({@link #releaseBytes(int)}).
	 * @param pending the stream's handler
	 */
	void streamGone(PendingStreamHandler pending) {
		this.pendingStreams.remove(pending);
	}

	/**
	 * A waiting stream read more than the budget allows; it is refused.
	 * @param pending the stream's handler
	 */
	void streamOverflowed(PendingStreamHandler pending) {
		streamGone(pending);
		this.connection.stats().refused(EngineStats.PENDING_STREAM_OVERFLOW);
	}

	/**
	 * Hands the streams and datagrams waiting for {@code session} over to it.
	 * @param session the session now established
	 */
	void handOver(SessionImpl session) {
		for (Iterator<PendingStreamHandler> it = this.pendingStreams.iterator(); it.hasNext();) {
			PendingStreamHandler pending = it.next();
			if (pending.sessionId() == session.id()) {
				it.remove();
				pending.promote(session);
			}
		}
		for (Iterator<PendingDatagram> it = this.pendingDatagrams.iterator(); it.hasNext();) {
			PendingDatagram pending = it.next();
			if (pending.sessionId() == session.id()) {
				it.remove();
				this.pendingBytes -= pending.payload().length;
				session.onDatagram(pending.payload());
			}
		}
	}

	/**
	 * The session {@code sessionId} will not come about: its streams are refused with
	 * {@code http3Code}, its datagrams dropped.
	 * @param sessionId the id of the refused session
	 * @param http3Code the HTTP/3 error code the streams are refused with
	 */
	void refuse(long sessionId, long http3Code) {
		EngineStats stats = this.connection.stats();
		for (Iterator<PendingStreamHandler> it = this.pendingStreams.iterator(); it.hasNext();) {
			PendingStreamHandler pending = it.next();
			if (pending.sessionId() == sessionId) {
				it.remove();
				stats.refused(EngineStats.STREAM_UNKNOWN_SESSION);
				pending.refuse(http3Code);
			}
		}
		for (Iterator<PendingDatagram> it = this.pendingDatagrams.iterator(); it.hasNext();) {
			PendingDatagram pending = it.next();
			if (pending.sessionId() == sessionId) {
				it.remove();
				this.pendingBytes -= pending.payload().length;
				stats.refused(EngineStats.DATAGRAM_UNKNOWN_SESSION);
			}
		}
	}

	private void scheduleSweep() {
		if (this.sweeper == null) {
			long periodMillis = Math.max(10, this.connection.limits().pendingTimeout().toMillis() / 4);
			this.sweeper = this.connection.channel()
				.eventLoop()
				.scheduleAtFixedRate(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
		}
	}

	/** Refuses what waited past its deadline; stops once nothing waits. */
	private void sweep() {
		EngineStats stats = this.connection.stats();
		long now = System.nanoTime();
		for (Iterator<PendingStreamHandler> it = this.pendingStreams.iterator(); it.hasNext();) {
			PendingStreamHandler pending = it.next();
			if (now - pending.deadlineNanos() >= 0) {
				it.remove();
				stats.refused(EngineStats.PENDING_STREAM_EXPIRED);
				pending.refuse(Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);
			}
		}
		for (Iterator<PendingDatagram> it = this.pendingDatagrams.iterator(); it.hasNext();) {
			PendingDatagram pending = it.next();
			if (now - pending.deadlineNanos() >= 0) {
				it.remove();
				this.pendingBytes -= pending.payload().length;
				stats.refused(EngineStats.PENDING_DATAGRAM_EXPIRED);
			}
		}
		if (this.pendingStreams.isEmpty() && this.pendingDatagrams.isEmpty()) {
			this.sweeper.cancel(false);
			this.sweeper = null;
		}
	}

	/** The connection closed: everything waiting is dropped. */
	void clear() {
		for (PendingStreamHandler pending : this.pendingStreams.toArray(new PendingStreamHandler[0])) {
			pending.releaseBuffered();
		}
		this.pendingStreams.clear();
		this.pendingDatagrams.clear();
		this.pendingBytes = 0;
		if (this.sweeper != null) {
			this.sweeper.cancel(false);
			this.sweeper = null;
		}
	}

	/**
	 * Adds what waits to a connection's debug view.
	 * @param state the debug view to add to
	 */
	void describeTo(Map<String, Object> state) {
		state.put("pendingStreams", this.pendingStreams.size());
		state.put("pendingDatagrams", this.pendingDatagrams.size());
		state.put("pendingBytes", this.pendingBytes);
	}

	/** A datagram waiting for its session. */
	private record PendingDatagram(long sessionId, byte[] payload, long deadlineNanos) {
	}

}
