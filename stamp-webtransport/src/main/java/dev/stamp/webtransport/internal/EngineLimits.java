package dev.stamp.webtransport.internal;

import java.time.Duration;

/**
 * The per-connection and per-session bounds the engine enforces, shared by server and
 * client.
 *
 * @param maxStreamsPerSession streams the peer may have open in one session (each
 * direction counted together); further ones are reset with H3_REQUEST_REJECTED
 * @param maxPendingStreams streams per connection that may wait for their session to
 * become known
 * @param maxPendingBytes bytes per connection those waiting streams and datagrams may
 * hold
 * @param maxPendingDatagrams datagrams per connection that may wait for their session
 * @param pendingTimeout how long a stream or datagram may wait for its session
 * @param datagramQueueSize received datagrams a session holds for its handler before
 * dropping new ones
 * @param maxDatagramPayloadSize cap on datagram payloads sent and received (QUIC may
 * allow less)
 */
public record EngineLimits(int maxStreamsPerSession, int maxPendingStreams, int maxPendingBytes,
		int maxPendingDatagrams, Duration pendingTimeout, int datagramQueueSize, int maxDatagramPayloadSize) {

	/** Defaults fit for browsers and tests. */
	public static EngineLimits defaults() {
		return new EngineLimits(100, 16, 64 * 1024, 32, Duration.ofSeconds(2), 256, 65_535);
	}

}
