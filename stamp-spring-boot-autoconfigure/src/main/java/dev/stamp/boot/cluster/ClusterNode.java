package dev.stamp.boot.cluster;

import java.time.Instant;
import java.util.List;

/**
 * A live node of the cluster, as of its last heartbeat.
 *
 * @param id the node's id ({@code stamp.cluster.node-id})
 * @param startedAt when the node joined the cluster
 * @param heartbeatAt when the node last wrote this entry, by its own clock
 * @param listeners the node's listeners and their connection counters
 */
public record ClusterNode(String id, Instant startedAt, Instant heartbeatAt, List<NodeListener> listeners) {

	/**
	 * One listener of a node.
	 *
	 * @param protocol the protocol's id, for example {@code websocket}
	 * @param host the bind address
	 * @param port the bound port, or -1 when not listening
	 * @param activeConnections connections open now
	 * @param maxConnections the connection limit
	 * @param acceptedConnections connections accepted since start
	 * @param refusedConnections connections refused since start
	 */
	public record NodeListener(String protocol, String host, int port, int activeConnections, int maxConnections,
			long acceptedConnections, long refusedConnections) {

		String encode() {
			return String.join("|", this.host, Integer.toString(this.port), Integer.toString(this.activeConnections),
					Integer.toString(this.maxConnections), Long.toString(this.acceptedConnections),
					Long.toString(this.refusedConnections));
		}

		static NodeListener decode(String protocol, String encoded) {
			String[] parts = encoded.split("\\|");
			if (parts.length != 6) {
				return null;
			}
			try {
				return new NodeListener(protocol, parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
						Integer.parseInt(parts[3]), Long.parseLong(parts[4]), Long.parseLong(parts[5]));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

}
