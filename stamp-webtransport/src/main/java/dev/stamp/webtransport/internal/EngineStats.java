package dev.stamp.webtransport.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.stamp.core.ConnectionStats;
import dev.stamp.webtransport.WebTransportStats;

/** The live counters of one WebTransport endpoint (server or client); thread-safe, cheap on hot paths. */
public final class EngineStats {

	/** Refusal reasons, as they appear in {@link WebTransportStats#refusals()}. */
	public static final String MAX_SESSIONS = "max-sessions";

	public static final String MAX_SESSIONS_PER_CONNECTION = "max-sessions-per-connection";

	public static final String MAX_STREAMS_PER_SESSION = "max-streams-per-session";

	public static final String STREAM_UNKNOWN_SESSION = "stream-unknown-session";

	public static final String PENDING_STREAM_OVERFLOW = "pending-stream-overflow";

	public static final String PENDING_STREAM_EXPIRED = "pending-stream-expired";

	public static final String DATAGRAM_UNKNOWN_SESSION = "datagram-unknown-session";

	public static final String DATAGRAM_MALFORMED = "datagram-malformed";

	public static final String DATAGRAM_TOO_LARGE = "datagram-too-large";

	public static final String DATAGRAM_QUEUE_FULL = "datagram-queue-full";

	public static final String PENDING_DATAGRAM_OVERFLOW = "pending-datagram-overflow";

	public static final String PENDING_DATAGRAM_EXPIRED = "pending-datagram-expired";

	public static final String MALFORMED_STREAM_HEADER = "malformed-stream-header";

	public static final String UNKNOWN_STREAM_TYPE = "unknown-stream-type";

	public static final String MALFORMED_CAPSULE = "malformed-capsule";

	public static final String HANDSHAKE_TIMEOUT = "handshake-timeout";

	public static final String HANDLER_REJECTED = "handler-executor-rejected";

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

	/** Reserves a session slot if fewer than {@code max} are active. */
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
				this.datagramsSent.sum(), Map.copyOf(counts));
	}

}
