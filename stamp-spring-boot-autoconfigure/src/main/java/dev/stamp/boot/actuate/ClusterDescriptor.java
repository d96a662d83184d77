package dev.stamp.boot.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What {@code /actuator/stamp/cluster} reports: this node's id, the live nodes with their
 * listeners and counters, and their sum.
 *
 * @param nodeId this node's id
 * @param redis whether Redis answered, and why not
 * @param nodes the live nodes, by id; only this node when Redis does not answer
 * @param aggregate the sum over {@code nodes}
 */
public record ClusterDescriptor(String nodeId, RedisState redis, List<Node> nodes, Aggregate aggregate) {

	/**
	 * Describes the given nodes and sums them up.
	 * @param nodeId this node's id
	 * @param redis whether Redis answered
	 * @param nodes the live nodes
	 * @return the descriptor
	 */
	public static ClusterDescriptor of(String nodeId, RedisState redis, List<Node> nodes) {
		return new ClusterDescriptor(nodeId, redis, List.copyOf(nodes), Aggregate.of(nodes));
	}

	/**
	 * Whether Redis answered the read of the live nodes.
	 *
	 * @param reachable whether it answered in time
	 * @param reason why not, or {@code null} when it did
	 */
	public record RedisState(boolean reachable, @Nullable String reason) {

		/**
		 * Redis answered.
		 * @return the state
		 */
		public static RedisState answering() {
			return new RedisState(true, null);
		}

		/**
		 * Redis did not answer.
		 * @param reason why
		 * @return the state
		 */
		public static RedisState notAnswering(String reason) {
			return new RedisState(false, reason);
		}

	}

	/**
	 * One live node, as of its last heartbeat.
	 *
	 * @param id the node's id
	 * @param startedAt when it joined the cluster
	 * @param heartbeatAgeMillis how long ago it last wrote its entry, by this node's
	 * clock
	 * @param listeners its listeners by name (the protocol id for a protocol's main
	 * listener, {@code <protocol>-<n>} for the others)
	 * @param topics its topic counters
	 */
	public record Node(String id, Instant startedAt, long heartbeatAgeMillis, Map<String, Listener> listeners,
			Topics topics) {
	}

	/**
	 * One listener of a node.
	 *
	 * @param protocol the listener's protocol id
	 * @param host the bind address
	 * @param port the bound port, or -1 when not listening
	 * @param activeConnections connections open now
	 * @param maxConnections the connection limit
	 * @param totalConnections connections accepted since the node started
	 * @param refusedConnections connections refused since the node started
	 * @param counters the protocol's own counters
	 */
	public record Listener(String protocol, String host, int port, int activeConnections, int maxConnections,
			long totalConnections, long refusedConnections, Map<String, Long> counters) {
	}

	/**
	 * Topic counters.
	 *
	 * @param published messages published
	 * @param received messages received from other nodes
	 * @param dropped publishes that did not reach the other nodes
	 */
	public record Topics(long published, long received, long dropped) {

		Topics plus(Topics other) {
			return new Topics(this.published + other.published, this.received + other.received,
					this.dropped + other.dropped);
		}

	}

	/**
	 * The sum over the live nodes.
	 *
	 * @param nodes how many nodes are live
	 * @param protocols the listeners' sums by protocol id
	 * @param topics the topic counters' sums
	 */
	public record Aggregate(int nodes, Map<String, ProtocolTotals> protocols, Topics topics) {

		static Aggregate of(List<Node> nodes) {
			Map<String, ProtocolTotals> protocols = new TreeMap<>();
			Topics topics = new Topics(0, 0, 0);
			for (Node node : nodes) {
				node.listeners()
					.forEach((name, listener) -> protocols.merge(listener.protocol(), ProtocolTotals.of(listener),
							ProtocolTotals::plus));
				topics = topics.plus(node.topics());
			}
			return new Aggregate(nodes.size(), protocols, topics);
		}

	}

	/**
	 * The sum of one protocol's listeners over the live nodes.
	 *
	 * @param listeners how many nodes have the listener
	 * @param activeConnections connections open now
	 * @param totalConnections connections accepted since the nodes started
	 * @param refusedConnections connections refused since the nodes started
	 * @param counters the protocol's own counters, summed
	 */
	public record ProtocolTotals(int listeners, long activeConnections, long totalConnections, long refusedConnections,
			Map<String, Long> counters) {

		static ProtocolTotals of(Listener listener) {
			return new ProtocolTotals(1, listener.activeConnections(), listener.totalConnections(),
					listener.refusedConnections(), new TreeMap<>(listener.counters()));
		}

		ProtocolTotals plus(ProtocolTotals other) {
			Map<String, Long> counters = new TreeMap<>(this.counters);
			other.counters.forEach((name, value) -> counters.merge(name, value, Long::sum));
			return new ProtocolTotals(this.listeners + other.listeners,
					this.activeConnections + other.activeConnections, this.totalConnections + other.totalConnections,
					this.refusedConnections + other.refusedConnections, counters);
		}

	}

}
