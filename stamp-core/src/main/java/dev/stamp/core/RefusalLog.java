package dev.stamp.core;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refusals once per burst.
 * <p>
 * A flood of connections over a limit must not become a flood of log lines: the first
 * refusal after a quiet period is logged with its cause, later ones are only counted, and
 * the count is reported when the next burst begins. The counters in
 * {@link ConnectionStats} stay exact either way.
 */
public final class RefusalLog {

	private static final Logger logger = LoggerFactory.getLogger(RefusalLog.class);

	/** How long without a refusal ends a burst. */
	static final long QUIET_PERIOD_NANOS = BurstGate.QUIET_PERIOD_NANOS;

	private final String owner;

	private final String what;

	private final String limitName;

	private final long limit;

	private final BurstGate gate = new BurstGate();

	/**
	 * Creates a log for the refusals of one owner and one limit.
	 * @param owner who refuses, for example {@code "tcp listener"}
	 * @param what what is refused, for example {@code "connection"}
	 * @param limitName the property a user would raise, for example
	 * {@code "max-connections"}
	 * @param limit the limit's value
	 */
	public RefusalLog(String owner, String what, String limitName, long limit) {
		this.owner = owner;
		this.what = what;
		this.limitName = limitName;
		this.limit = limit;
	}

	/**
	 * Records one refusal of something coming from {@code source} (may be {@code null}).
	 * @param source the refused peer or channel, named in the log line
	 */
	public void refused(@Nullable Object source) {
		refused(source, System.nanoTime());
	}

	void refused(@Nullable Object source, long nowNanos) {
		long previousBurst = this.gate.enter(nowNanos);
		if (previousBurst == BurstGate.SUPPRESSED) {
			return;
		}
		if (previousBurst > 0) {
			logger.warn("{} refused {} more {}(s) in its previous burst", this.owner, previousBurst, this.what);
		}
		logger.warn("{} refused a {} from {}: {} ({}) reached; further refusals in this burst are counted, not logged",
				this.owner, this.what, source, this.limitName, this.limit);
	}

	/**
	 * Refusals counted but not logged since the current burst began.
	 * @return the number of refusals not logged yet in this burst
	 */
	long suppressedInCurrentBurst() {
		return this.gate.suppressedInCurrentBurst();
	}

}
