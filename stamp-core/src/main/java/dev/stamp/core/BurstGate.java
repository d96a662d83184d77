package dev.stamp.core;

import java.util.concurrent.TimeUnit;

/**
 * Decides which events of a stream of similar ones deserve a log line: the first after a
 * quiet period does, the rest of its burst is only counted. Shared by every
 * once-per-burst log so that a flood of refusals or of malformed input never becomes a
 * flood of log lines.
 */
final class BurstGate {

	/** How long without an event ends a burst. */
	static final long QUIET_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

	/** Returned by {@link #enter(long)} for an event that is only counted. */
	static final long SUPPRESSED = -1;

	private long lastEventNanos;

	private long suppressed;

	private boolean anyEvent;

	/**
	 * Records one event.
	 * @param nowNanos the time, from {@link System#nanoTime()}
	 * @return {@link #SUPPRESSED} when the event belongs to the current burst, else the
	 * number of events the previous burst suppressed (0 or more) and a new burst begins
	 * with this event
	 */
	synchronized long enter(long nowNanos) {
		boolean newBurst = !this.anyEvent || nowNanos - this.lastEventNanos > QUIET_PERIOD_NANOS;
		this.lastEventNanos = nowNanos;
		this.anyEvent = true;
		if (!newBurst) {
			this.suppressed++;
			return SUPPRESSED;
		}
		long previous = this.suppressed;
		this.suppressed = 0;
		return previous;
	}

	/**
	 * Events counted but not logged since the current burst began.
	 * @return the number of events not logged yet in this burst
	 */
	synchronized long suppressedInCurrentBurst() {
		return this.suppressed;
	}

}
