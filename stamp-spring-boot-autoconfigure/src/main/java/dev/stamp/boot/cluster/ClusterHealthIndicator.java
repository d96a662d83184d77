package dev.stamp.boot.cluster;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import dev.stamp.boot.topic.TopicRelay;

/**
 * Health of this node's membership of the cluster: {@code UP} while Redis answers, fits
 * the cluster ({@link StampCluster#requirementFailure()}), the heartbeat reaches it and
 * the node receives the other nodes' publishes; {@code DOWN} with the reason otherwise.
 * Local delivery goes on either way.
 */
public class ClusterHealthIndicator extends AbstractHealthIndicator {

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final StampCluster cluster;

	private final TopicRelay topics;

	private final Duration timeout;

	public ClusterHealthIndicator(ReactiveRedisConnectionFactory connectionFactory, StampCluster cluster,
			TopicRelay topics, Duration timeout) {
		super("Stamp cluster health check failed");
		this.connectionFactory = connectionFactory;
		this.cluster = cluster;
		this.topics = topics;
		this.timeout = timeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("nodeId", this.cluster.nodeId())
			.withDetail("droppedPublishes", this.topics.droppedPublishes());
		String reason = redisFailure();
		if (reason == null) {
			reason = this.cluster.requirementFailure();
		}
		if (reason == null) {
			reason = this.cluster.duplicateNodeId();
		}
		if (reason == null && this.cluster.heartbeatFailure() != null) {
			reason = "heartbeat failed: " + this.cluster.heartbeatFailure();
		}
		if (reason == null && !this.topics.isReceivingRemote()) {
			reason = "not subscribed to the cluster's topics";
		}
		if (reason == null) {
			builder.up();
		}
		else {
			builder.down().withDetail("reason", reason);
		}
	}

	private @Nullable String redisFailure() {
		try {
			Mono.usingWhen(Mono.fromSupplier(this.connectionFactory::getReactiveConnection),
					ReactiveRedisConnection::ping, ReactiveRedisConnection::closeLater)
				.timeout(this.timeout)
				.block();
			return null;
		}
		catch (RuntimeException ex) {
			return "Redis does not answer: " + RedisFailures.describe(ex);
		}
	}

}
