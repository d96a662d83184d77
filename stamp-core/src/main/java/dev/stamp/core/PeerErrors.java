package dev.stamp.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors that peers cause on one listener (malformed requests, protocol violations,
 * stalled or trickling clients, garbage packets), counted by kind and logged once per
 * burst.
 * <p>
 * What a peer sends is not a bug in the server, and logging each case with a stack trace
 * would let any client fill the disk: the first error after a quiet period is logged at
 * WARN in one line, the rest of its burst only counted, and every error, with its cause,
 * is logged at DEBUG. The counters are exact and feed the stats and Actuator.
 * <p>
 * Kinds are short fixed names chosen by the code that detects the error (for example
 * {@code "bad-transfer-encoding"} or {@code "invalid-utf8"}), never text from the peer,
 * so the number of counters stays bounded.
 */
public final class PeerErrors {

	private static final Logger logger = LoggerFactory.getLogger(PeerErrors.class);

	private final String owner;

	private final BurstGate gate = new BurstGate();

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	private final LongAdder total = new LongAdder();

	/**
	 * Creates the peer-error counters of one owner.
	 * @param owner who sees the errors, for example {@code "http listener"}
	 */
	public PeerErrors(String owner) {
		this.owner = owner;
	}

	/**
	 * Records one peer-caused error.
	 * @param kind a fixed name for the kind of error
	 * @param source where it came from, usually the remote address (may be {@code null})
	 * @param detail one short sentence: what was wrong and what the peer got for it
	 */
	public void record(String kind, @Nullable Object source, String detail) {
		record(kind, source, detail, null, System.nanoTime());
	}

	/**
	 * Records one peer-caused error whose exception is worth seeing when debugging; it is
	 * only logged at DEBUG.
	 * @param kind a fixed name for the kind of error
	 * @param source where it came from, usually the remote address (may be {@code null})
	 * @param detail one short sentence: what was wrong and what the peer got for it
	 * @param cause the exception that detected the error (may be {@code null})
	 */
	public void record(String kind, @Nullable Object source, String detail, @Nullable Throwable cause) {
		record(kind, source, detail, cause, System.nanoTime());
	}

	void record(String kind, @Nullable Object source, String detail, @Nullable Throwable cause, long nowNanos) {
		this.counts.computeIfAbsent(kind, (name) -> new LongAdder()).increment();
		this.total.increment();
		if (logger.isDebugEnabled()) {
			logger.debug("{}: {} from {}: {}", this.owner, kind, source, detail, cause);
		}
		long previousBurst = this.gate.enter(nowNanos);
		if (previousBurst == BurstGate.SUPPRESSED) {
			return;
		}
		if (previousBurst > 0) {
			logger.warn("{}: {} more peer error(s) in the previous burst", this.owner, previousBurst);
		}
		logger.warn("{}: {} from {}: {}; further peer errors in this burst are counted, not logged", this.owner, kind,
				source, detail);
	}

	/**
	 * Peer errors of every kind since start.
	 * @return the count of all peer errors so far
	 */
	public long total() {
		return this.total.sum();
	}

	/**
	 * Errors of one kind since start.
	 * @param kind the kind of error, as passed when it was recorded
	 * @return the count for that kind, {@code 0} if none was seen
	 */
	public long count(String kind) {
		LongAdder count = this.counts.get(kind);
		return (count != null) ? count.sum() : 0;
	}

	/**
	 * A snapshot of the counters by kind, sorted by name.
	 * @return an immutable map from kind to count
	 */
	public Map<String, Long> counts() {
		Map<String, Long> snapshot = new TreeMap<>();
		this.counts.forEach((kind, count) -> snapshot.put(kind, count.sum()));
		return Collections.unmodifiableMap(snapshot);
	}

	/**
	 * Errors counted but not logged since the current burst began.
	 * @return the number of errors not logged yet in this burst
	 */
	long suppressedInCurrentBurst() {
		return this.gate.suppressedInCurrentBurst();
	}

	@Override
	public String toString() {
		return this.owner + " peer errors " + counts();
	}

}
