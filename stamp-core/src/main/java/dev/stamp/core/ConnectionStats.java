package dev.stamp.core;

/**
 * Counters of one listener at one moment.
 *
 * @param listener the listener's name
 * @param maxConnections the configured limit
 * @param activeConnections connections open now
 * @param acceptedConnections connections admitted since start
 * @param refusedConnections connections refused because the limit was reached, since
 * start
 */
public record ConnectionStats(String listener, int maxConnections, int activeConnections, long acceptedConnections,
		long refusedConnections) {

	/** Share of the limit in use, from 0.0 to 1.0. */
	public double utilization() {
		return (double) this.activeConnections / this.maxConnections;
	}

}
