package dev.stamp.boot.cluster;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.stamp.boot.StampProperties;
import dev.stamp.boot.actuate.ClusterContributor;
import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.listener.StampListenerRegistry;
import dev.stamp.boot.middleware.RateLimitCounter;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.topic.TopicRelay;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of Stamp's cluster ({@code stamp.cluster.*}): the
 * {@link RedisTopicRelay} behind {@link StampTopics}, {@link StampPresence},
 * {@link StampCluster}, the {@link RedisRateLimitCounter} of
 * {@code stamp.middleware.rate-limit.scope=cluster}, the {@code stampCluster} health
 * contributor ({@code management.health.stampcluster.enabled}) and what
 * {@code /actuator/stamp/cluster} shows ({@link ClusterEndpointContributor}), on the
 * application's {@link ReactiveRedisConnectionFactory}. Off unless
 * {@code stamp.cluster.enabled=true} and Spring Data Redis is configured.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration" })
@ConditionalOnClass(ReactiveRedisConnectionFactory.class)
@ConditionalOnBean(ReactiveRedisConnectionFactory.class)
@ConditionalOnBooleanProperty("stamp.cluster.enabled")
@EnableConfigurationProperties(StampClusterProperties.class)
public final class ClusterAutoConfiguration {

	/**
	 * Joins the cluster after Redis' connection factory starts and before the listeners
	 * take clients; leaves after the listeners drained and before the factory stops.
	 */
	static final int PHASE = StampListener.PHASE - 1024;

	@Bean
	@ConditionalOnMissingBean(TopicRelay.class)
	RedisTopicRelay stampTopicRelay(ReactiveRedisConnectionFactory connectionFactory,
			StampClusterProperties properties) {
		return new RedisTopicRelay(connectionFactory, keys(properties), checked(properties).resolveNodeId(),
				properties);
	}

	@Bean
	@ConditionalOnMissingBean
	StampPresence stampPresence(ReactiveRedisConnectionFactory connectionFactory, StampClusterProperties properties) {
		return new StampPresence(new ReactiveStringRedisTemplate(connectionFactory), keys(properties),
				properties.resolveNodeId(), properties.getNodeTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	StampCluster stampCluster(ReactiveRedisConnectionFactory connectionFactory, StampClusterProperties properties,
			ObjectProvider<StampListenerRegistry> registry, ObjectProvider<StampListener> listeners,
			StampPresence presence, StampTopics topics) {
		// The registry's listeners include additional ones and those added at run time.
		Supplier<List<StampListener>> live = () -> {
			StampListenerRegistry all = registry.getIfAvailable();
			return (all != null) ? all.listeners() : listeners.orderedStream().toList();
		};
		return new StampCluster(new ReactiveStringRedisTemplate(connectionFactory), keys(properties),
				properties.resolveNodeId(), properties, live, presence, topics, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean(ClusterContributor.class)
	ClusterEndpointContributor stampClusterEndpointContributor(StampCluster cluster,
			StampClusterProperties properties) {
		return new ClusterEndpointContributor(cluster, properties.getHeartbeat(), Clock.systemUTC());
	}

	private static ClusterKeys keys(StampClusterProperties properties) {
		return new ClusterKeys(properties.getKeyPrefix());
	}

	private static StampClusterProperties checked(StampClusterProperties properties) {
		StampClusterProperties.History history = properties.getHistory();
		if (history.getSize() < 0 || history.getTtl().isNegative()) {
			throw new IllegalStateException("stamp.cluster.history.size (" + history.getSize()
					+ ") and stamp.cluster.history.ttl (" + history.getTtl() + ") must not be negative");
		}
		if ((history.getSize() == 0) != (history.getTtl().isZero())) {
			throw new IllegalStateException("stamp.cluster.history.size (" + history.getSize()
					+ ") and stamp.cluster.history.ttl (" + history.getTtl()
					+ ") go together: set both for a history on Redis Streams, or leave both at 0 for none");
		}
		if (!history.getTtl().isZero() && history.getTtl().toMillis() == 0) {
			throw new IllegalStateException(
					"stamp.cluster.history.ttl (" + history.getTtl() + ") must be at least a millisecond");
		}
		if (properties.getHeartbeat().isNegative() || properties.getHeartbeat().toMillis() == 0) {
			throw new IllegalStateException("stamp.cluster.heartbeat (" + properties.getHeartbeat()
					+ ") must be at least a millisecond: a node heartbeats to stay in the cluster");
		}
		if (properties.getPublishQueueSize() < 1 || properties.getPublishBatchSize() < 1) {
			throw new IllegalStateException("stamp.cluster.publish-queue-size (" + properties.getPublishQueueSize()
					+ ") and stamp.cluster.publish-batch-size (" + properties.getPublishBatchSize()
					+ ") must be at least 1");
		}
		if (properties.getNodeTimeout().compareTo(properties.getHeartbeat()) <= 0) {
			throw new IllegalStateException("stamp.cluster.node-timeout (" + properties.getNodeTimeout()
					+ ") must be longer than stamp.cluster.heartbeat (" + properties.getHeartbeat()
					+ "), or live nodes would expire between heartbeats");
		}
		return properties;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("stamp.middleware.rate-limit.enabled")
	@ConditionalOnProperty(name = "stamp.middleware.rate-limit.scope", havingValue = "cluster")
	@EnableConfigurationProperties(StampProperties.class)
	static class RateLimitConfiguration {

		@Bean
		@ConditionalOnMissingBean(RateLimitCounter.class)
		RedisRateLimitCounter stampRedisRateLimitCounter(ReactiveRedisConnectionFactory connectionFactory,
				StampClusterProperties clusterProperties, StampProperties properties) {
			StampProperties.Middleware.RateLimit rateLimit = properties.getMiddleware().getRateLimit();
			return new RedisRateLimitCounter(new ReactiveStringRedisTemplate(connectionFactory),
					keys(clusterProperties), rateLimit.getWindow(), rateLimit.getClusterTimeout(),
					rateLimit.getMaxTrackedClients());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("stampcluster")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "stampClusterHealthIndicator")
		ClusterHealthIndicator stampClusterHealthIndicator(ReactiveRedisConnectionFactory connectionFactory,
				StampCluster cluster, TopicRelay relay, StampClusterProperties properties) {
			return new ClusterHealthIndicator(connectionFactory, cluster, relay, properties.getHeartbeat());
		}

	}

}
