package dev.stamp.boot.cluster;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

/**
 * A live node of the cluster, as of its last heartbeat.
 *
 * @param id the node's id ({@code stamp.cluster.node-id})
 * @param startedAt when the node joined the cluster
 * @param heartbeatAt when the node last wrote this entry, by its own clock
 * @param listeners the node's listeners and their connection counters
 * @param topics the node's topic counters
 */
public record ClusterNode(String id, Instant startedAt, Instant heartbeatAt, List<NodeListener> listeners,
		TopicCounters topics) {

	/**
	 * One listener of a node.
	 *
	 * @param name the listener's name: its protocol's id ({@code websocket}) for a
	 * protocol's main listener, {@code <protocol>-<n>} for the others
	 * @param host the bind address
	 * @param port the bound port, or -1 when not listening
	 * @param activeConnections connections open now
	 * @param maxConnections the connection limit
	 * @param acceptedConnections connections accepted since start
	 * @param refusedConnections connections refused since start
	 * @param counters the protocol's own counters ({@code StampListener.counters()}), at
	 * most {@value #MAX_COUNTERS}
	 */
	public record NodeListener(String name, String host, int port, int activeConnections, int maxConnections,
			long acceptedConnections, long refusedConnections, Map<String, Long> counters) {

		/**
		 * Bounds the counters a listener writes, so that the node's entry stays small.
		 */
		public static final int MAX_COUNTERS = 32;

		/**
		 * The listener's protocol id, the part of its name before any {@code -}.
		 * @return the protocol id
		 */
		public String protocol() {
			int dash = this.name.indexOf('-');
			return (dash < 0) ? this.name : this.name.substring(0, dash);
		}

		private static final int MAX_COUNTER_NAME = 64;

		String encode() {
			StringJoiner counters = new StringJoiner(",");
			this.counters.entrySet()
				.stream()
				.filter((counter) -> isEncodable(counter.getKey()))
				.limit(MAX_COUNTERS)
				.forEach((counter) -> counters.add(counter.getKey() + "=" + counter.getValue()));
			return String.join("|", this.host, Integer.toString(this.port), Integer.toString(this.activeConnections),
					Integer.toString(this.maxConnections), Long.toString(this.acceptedConnections),
					Long.toString(this.refusedConnections), counters.toString());
		}

		private static boolean isEncodable(String name) {
			return !name.isEmpty() && name.length() <= MAX_COUNTER_NAME
					&& name.chars().allMatch((c) -> c > ' ' && c < 127 && c != '|' && c != ',' && c != '=');
		}

		static @Nullable NodeListener decode(String name, String encoded) {
			String[] parts = encoded.split("\\|", -1);
			// Six parts: a node of an earlier version, without protocol counters.
			if (parts.length != 6 && parts.length != 7) {
				return null;
			}
			try {
				Map<String, Long> counters = (parts.length == 7) ? decodeCounters(parts[6]) : Map.of();
				return new NodeListener(name, parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
						Integer.parseInt(parts[3]), Long.parseLong(parts[4]), Long.parseLong(parts[5]), counters);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

		private static Map<String, Long> decodeCounters(String encoded) {
			Map<String, Long> counters = new LinkedHashMap<>();
			if (encoded.isEmpty()) {
				return counters;
			}
			for (String counter : encoded.split(",")) {
				int equals = counter.indexOf('=');
				if (equals <= 0) {
					throw new NumberFormatException("Not a counter: " + counter);
				}
				if (counters.size() == MAX_COUNTERS) {
					break;
				}
				counters.put(counter.substring(0, equals), Long.parseLong(counter.substring(equals + 1)));
			}
			return counters;
		}

	}

	/**
	 * A node's {@link StampTopics} counters since it started.
	 *
	 * @param published messages published on the node
	 * @param received messages from other nodes the node received
	 * @param dropped publishes that did not reach the other nodes
	 */
	public record TopicCounters(long published, long received, long dropped) {

		/** The counters of a node that wrote none. */
		public static final TopicCounters NONE = new TopicCounters(0, 0, 0);

		String encode() {
			return this.published + "|" + this.received + "|" + this.dropped;
		}

		static TopicCounters decode(@Nullable String encoded) {
			if (encoded == null) {
				return NONE;
			}
			String[] parts = encoded.split("\\|", -1);
			if (parts.length != 3) {
				throw new NumberFormatException("Not topic counters: " + encoded);
			}
			return new TopicCounters(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
		}

	}

}
