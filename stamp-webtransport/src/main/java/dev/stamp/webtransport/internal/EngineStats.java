package dev.stamp.webtransport.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.handler.codec.http3.Http3ErrorCode;

import dev.stamp.core.ConnectionStats;
import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.WebTransportStats;

/**
 * The live counters of one WebTransport endpoint (server or client); thread-safe, cheap
 * on hot paths.
 */
public final class EngineStats {

	/** Refusal reasons, as they appear in {@link WebTransportStats#refusals()}. */
	public static final String MAX_SESSIONS = "max-sessions";

	/** A CONNECT over the per-connection session limit. */
	public static final String MAX_SESSIONS_PER_CONNECTION = "max-sessions-per-connection";

	/** A peer stream over the per-session stream limit. */
	public static final String MAX_STREAMS_PER_SESSION = "max-streams-per-session";

	/** A stream whose header names a session that does not exist. */
	public static final String STREAM_UNKNOWN_SESSION = "stream-unknown-session";

	/** A stream waiting for its session beyond the pending limits. */
	public static final String PENDING_STREAM_OVERFLOW = "pending-stream-overflow";

	/** A stream whose session did not arrive in time. */
	public static final String PENDING_STREAM_EXPIRED = "pending-stream-expired";

	/** A datagram for a session that does not exist. */
	public static final String DATAGRAM_UNKNOWN_SESSION = "datagram-unknown-session";

	/** A datagram over the maximum payload size. */
	public static final String DATAGRAM_TOO_LARGE = "datagram-too-large";

	/** A datagram dropped because its session's queue was full. */
	public static final String DATAGRAM_QUEUE_FULL = "datagram-queue-full";

	/** A datagram waiting for its session beyond the pending limits. */
	public static final String PENDING_DATAGRAM_OVERFLOW = "pending-datagram-overflow";

	/** A datagram whose session did not arrive in time. */
	public static final String PENDING_DATAGRAM_EXPIRED = "pending-datagram-expired";

	/**
	 * A unidirectional stream of a type nobody handles: ignored, as RFC 9114 (6.2) wants,
	 * so not an error.
	 */
	public static final String UNKNOWN_STREAM_TYPE = "unknown-stream-type";

	/** A session whose blocking handler the executor refused to run. */
	public static final String HANDLER_REJECTED = "handler-executor-rejected";

	/**
	 * Peer error kinds, as they appear in {@link WebTransportStats#peerErrors()} and
	 * {@link PeerErrors}.
	 */
	public static final String MALFORMED_STREAM_HEADER = "malformed-stream-header";

	/** A capsule that does not parse. */
	public static final String MALFORMED_CAPSULE = "malformed-capsule";

	/** A QUIC handshake that did not complete in time. */
	public static final String HANDSHAKE_TIMEOUT = "handshake-timeout";

	/** A datagram whose quarter stream id prefix is truncated or out of range. */
	public static final String DATAGRAM_MALFORMED = "datagram-malformed";

	/**
	 * A server opened a bidirectional stream that is not a WebTransport stream (client
	 * side).
	 */
	public static final String BAD_SERVER_STREAM = "bad-server-stream";

	/** A UDP datagram too short to be a QUIC packet. */
	public static final String QUIC_PACKET_MALFORMED = "quic-packet-malformed";

	/** quiche refused a packet or closed the connection for a QUIC protocol violation. */
	public static final String QUIC_PROTOCOL_ERROR = "quic-protocol-error";

	/** The peer closed its connection with an error code. */
	public static final String PEER_CLOSED_WITH_ERROR = "peer-closed-with-error";

	/**
	 * Netty's HTTP/3 decoder failed on a request stream other than with an HTTP/3 error
	 * (see DecoderFailureGuard).
	 */
	public static final String H3_DECODER_FAILURE = "h3-decoder-failure";

	/**
	 * A TLS handshake the peer failed (for example no common ALPN, a bad certificate, a
	 * TLS alert).
	 */
	public static final String TLS_HANDSHAKE_FAILED = "tls-handshake-failed";

	private final AtomicInteger activeSessions = new AtomicInteger();

	private final LongAdder acceptedSessions = new LongAdder();

	private final LongAdder rejectedSessions = new LongAdder();

	private final LongAdder incomingStreams = new LongAdder();

	private final LongAdder outgoingStreams = new LongAdder();

	private final LongAdder streamBytesReceived = new LongAdder();

	private final LongAdder streamBytesSent = new LongAdder();

	private final LongAdder datagramsReceived = new LongAdder();

	private final LongAdder datagramsSent = new LongAdder();

	private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

	private final PeerErrors peerErrors;

	/**
	 * Creates the counters of one endpoint.
	 * @param peerErrors where the errors peers cause are counted and logged
	 */
	public EngineStats(PeerErrors peerErrors) {
		this.peerErrors = peerErrors;
	}

	/**
	 * The errors peers caused: malformed packets, frames, capsules and stream headers,
	 * timeouts.
	 * @return the peer-error counters
	 */
	public PeerErrors peerErrors() {
		return this.peerErrors;
	}

	/**
	 * The peer error kind for an HTTP/3 error Netty's codec detected, named after its
	 * code: for example {@code "h3-frame-error"} or {@code "qpack-decompression-failed"}.
	 * @param code the HTTP/3 error code
	 * @return the kind's name
	 */
	public static String http3ErrorKind(Http3ErrorCode code) {
		return (code != null) ? code.name().toLowerCase(Locale.ROOT).replace('_', '-') : "h3-error";
	}

	/**
	 * Reserves a session slot if fewer than {@code max} are active.
	 * @param max the most sessions that may be active
	 * @return {@code true} if a slot was reserved
	 */
	public boolean tryReserveSession(int max) {
		int current;
		do {
			current = this.activeSessions.get();
			if (current >= max) {
				return false;
			}
		}
		while (!this.activeSessions.compareAndSet(current, current + 1));
		return true;
	}

	/** Gives back a slot reserved with {@link #tryReserveSession(int)}. */
	public void releaseSession() {
		this.activeSessions.decrementAndGet();
	}

	public int activeSessions() {
		return this.activeSessions.get();
	}

	public void sessionAccepted() {
		this.acceptedSessions.increment();
	}

	public void sessionRejected() {
		this.rejectedSessions.increment();
	}

	public void incomingStream() {
		this.incomingStreams.increment();
	}

	public void outgoingStream() {
		this.outgoingStreams.increment();
	}

	public void streamBytesReceived(long bytes) {
		this.streamBytesReceived.add(bytes);
	}

	public void streamBytesSent(long bytes) {
		this.streamBytesSent.add(bytes);
	}

	public void datagramReceived() {
		this.datagramsReceived.increment();
	}

	public void datagramSent() {
		this.datagramsSent.increment();
	}

	public void refused(String reason) {
		this.refusals.computeIfAbsent(reason, (key) -> new LongAdder()).increment();
	}

	public long refusals(String reason) {
		LongAdder adder = this.refusals.get(reason);
		return (adder != null) ? adder.sum() : 0;
	}

	public WebTransportStats snapshot(ConnectionStats connections) {
		Map<String, Long> counts = new TreeMap<>();
		this.refusals.forEach((reason, adder) -> counts.put(reason, adder.sum()));
		return new WebTransportStats(connections, this.activeSessions.get(), this.acceptedSessions.sum(),
				this.rejectedSessions.sum(), this.incomingStreams.sum(), this.outgoingStreams.sum(),
				this.streamBytesReceived.sum(), this.streamBytesSent.sum(), this.datagramsReceived.sum(),
				this.datagramsSent.sum(), Map.copyOf(counts), this.peerErrors.counts());
	}

}
