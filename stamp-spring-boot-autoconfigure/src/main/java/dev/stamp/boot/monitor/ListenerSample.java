package dev.stamp.boot.monitor;

import java.util.Map;

/**
 * One listener at one sampling instant.
 *
 * @param running whether it was listening
 * @param activeConnections connections open
 * @param maxConnections the limit
 * @param acceptedSinceLastSample connections admitted since the previous sample
 * @param refusedSinceLastSample connections refused at the limit since the previous
 * sample
 * @param protocolCounters counters of the protocol itself (for WebTransport: sessions,
 * streams, datagrams)
 */
public record ListenerSample(boolean running, int activeConnections, int maxConnections, long acceptedSinceLastSample,
		long refusedSinceLastSample, Map<String, Long> protocolCounters) {

	/** Share of the limit in use. */
	public double utilization() {
		return (this.maxConnections > 0) ? (double) this.activeConnections / this.maxConnections : 0;
	}

}
