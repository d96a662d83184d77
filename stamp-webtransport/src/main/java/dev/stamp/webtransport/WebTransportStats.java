package dev.stamp.webtransport;

import java.util.Map;

import dev.stamp.core.ConnectionStats;

/**
 * A snapshot of a WebTransport endpoint's counters, for health checks, metrics and the
 * actuator endpoint.
 *
 * @param connections the QUIC connection counters (limit, active, accepted, refused)
 * @param activeSessions sessions open now
 * @param acceptedSessions sessions accepted since start
 * @param rejectedSessions CONNECT requests answered with a non-2xx status since start
 * @param incomingStreams streams opened by peers and handed to sessions
 * @param outgoingStreams streams opened by this side
 * @param streamBytesReceived stream payload bytes received
 * @param streamBytesSent stream payload bytes sent
 * @param datagramsReceived datagrams delivered to sessions
 * @param datagramsSent datagrams sent
 * @param refusals refusals and drops by reason (for example {@code "max-sessions"},
 * {@code "datagram-unknown-session"})
 * @param peerErrors errors peers caused, by kind (for example
 * {@code "quic-packet-malformed"}, {@code "malformed-capsule"}, {@code "h3-frame-error"})
 */
public record WebTransportStats(ConnectionStats connections, long activeSessions, long acceptedSessions,
		long rejectedSessions, long incomingStreams, long outgoingStreams, long streamBytesReceived,
		long streamBytesSent, long datagramsReceived, long datagramsSent, Map<String, Long> refusals,
		Map<String, Long> peerErrors) {

	/** The count of one refusal reason (0 if it never happened). */
	public long refusals(String reason) {
		return this.refusals.getOrDefault(reason, 0L);
	}

	/** The count of one kind of peer error (0 if it never happened). */
	public long peerErrors(String kind) {
		return this.peerErrors.getOrDefault(kind, 0L);
	}

}
