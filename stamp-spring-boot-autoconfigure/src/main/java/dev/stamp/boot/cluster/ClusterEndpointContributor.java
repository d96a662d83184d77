package dev.stamp.boot.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import reactor.core.Exceptions;

import dev.stamp.boot.actuate.ClusterContributor;
import dev.stamp.boot.actuate.ClusterDescriptor;

/**
 * {@code /actuator/stamp/cluster} from {@link StampCluster#nodes()}: the live nodes as
 * Redis lists them, or, when Redis does not answer within the timeout, this node's own
 * entry and the reason.
 */
public class ClusterEndpointContributor implements ClusterContributor {

	private final StampCluster cluster;

	private final Duration timeout;

	private final Clock clock;

	/**
	 * Creates the contributor.
	 * @param cluster this node's cluster membership
	 * @param timeout how long to wait for Redis at most
	 * @param clock the clock heartbeat ages are measured by
	 */
	public ClusterEndpointContributor(StampCluster cluster, Duration timeout, Clock clock) {
		this.cluster = cluster;
		this.timeout = timeout;
		this.clock = clock;
	}

	@Override
	public ClusterDescriptor describe() {
		List<ClusterNode> nodes;
		ClusterDescriptor.RedisState redis;
		try {
			nodes = this.cluster.nodes().timeout(this.timeout).block();
			redis = ClusterDescriptor.RedisState.answering();
		}
		catch (RuntimeException ex) {
			nodes = List.of(this.cluster.localNode());
			redis = ClusterDescriptor.RedisState.notAnswering(reason(ex));
		}
		Instant now = this.clock.instant();
		return ClusterDescriptor.of(this.cluster.nodeId(), redis,
				(nodes != null) ? nodes.stream().map((node) -> describe(node, now)).toList() : List.of());
	}

	private String reason(RuntimeException ex) {
		Throwable cause = Exceptions.unwrap(ex);
		if (cause instanceof TimeoutException) {
			return "Redis did not answer within " + this.timeout.toMillis() + "ms";
		}
		return "Redis does not answer: " + RedisFailures.describe(cause);
	}

	private static ClusterDescriptor.Node describe(ClusterNode node, Instant now) {
		Map<String, ClusterDescriptor.Listener> listeners = new LinkedHashMap<>();
		for (ClusterNode.NodeListener listener : node.listeners()) {
			listeners.put(listener.name(),
					new ClusterDescriptor.Listener(listener.protocol(), listener.host(), listener.port(),
							listener.activeConnections(), listener.maxConnections(), listener.acceptedConnections(),
							listener.refusedConnections(), listener.counters()));
		}
		ClusterNode.TopicCounters topics = node.topics();
		long age = Math.max(0, Duration.between(node.heartbeatAt(), now).toMillis());
		return new ClusterDescriptor.Node(node.id(), node.startedAt(), age, listeners,
				new ClusterDescriptor.Topics(topics.published(), topics.received(), topics.dropped()));
	}

}
