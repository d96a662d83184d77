package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.topic.StampTopics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * When the cluster is configured, and that without it nothing changes.
 */
class ClusterAutoConfigurationTests {

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, StampAutoConfiguration.class,
				ClusterAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
				"stamp.cluster.node-id=auto-configuration");

	@Test
	void isOffUnlessEnabled() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ReactiveRedisConnectionFactory.class)
			.doesNotHaveBean(RedisTopicRelay.class)
			.doesNotHaveBean(StampPresence.class)
			.doesNotHaveBean(StampCluster.class)
			.doesNotHaveBean(ClusterHealthIndicator.class));
	}

	@Test
	void isOffWithoutTheApplicationsRedisConnection() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ClusterAutoConfiguration.class))
			.withPropertyValues("stamp.cluster.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisTopicRelay.class));
	}

	@Test
	void isOffWithoutSpringDataRedis() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ClusterAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ReactiveRedisConnectionFactory.class))
			.withPropertyValues("stamp.cluster.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisTopicRelay.class));
	}

	@Test
	void joinsTheClusterThroughTheApplicationsRedisConnection() {
		this.runner.withPropertyValues("stamp.cluster.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(RedisTopicRelay.class)
				.hasSingleBean(StampPresence.class)
				.hasSingleBean(StampCluster.class)
				.hasSingleBean(ClusterHealthIndicator.class);
			StampCluster cluster = context.getBean(StampCluster.class);
			assertThat(cluster.nodeId()).isEqualTo("auto-configuration");
			ClusterHealthIndicator health = context.getBean(ClusterHealthIndicator.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> health.health(true).getStatus().equals(Status.UP));
			assertThat(cluster.nodes().block()).extracting(ClusterNode::id).containsExactly("auto-configuration");
		});
	}

	@Test
	void topicsTravelThroughTheRelayWhenTheClusterIsOn() {
		this.runner.withPropertyValues("stamp.cluster.enabled=true").run((context) -> {
			StampTopics topics = context.getBean(StampTopics.class);
			assertThat(topics.isClustered()).isTrue();
			assertThat(topics.nodeId()).isEqualTo("auto-configuration");
		});
	}

	@Test
	void topicsStayOnTheNodeWithoutTheCluster() {
		this.runner.run((context) -> {
			StampTopics topics = context.getBean(StampTopics.class);
			assertThat(topics.isClustered()).isFalse();
			assertThat(topics.nodeId()).isEqualTo(StampTopics.LOCAL_NODE_ID);
			List<String> received = new CopyOnWriteArrayList<>();
			Disposable subscription = topics.subscribe("news").subscribe((message) -> received.add(message.text()));
			try {
				topics.publish("news", "one");
				topics.publish("elsewhere", "not for news");
				topics.publish("news", "two");
				assertThat(received).containsExactly("one", "two");
				assertThat(topics.publishedMessages()).isEqualTo(3);
				assertThat(topics.droppedPublishes()).isZero();
			}
			finally {
				subscription.dispose();
			}
		});
	}

	@Test
	void defaultNodeIdIsTheHostNameAndProcessId() {
		assertThat(new StampClusterProperties().resolveNodeId()).endsWith("-" + ProcessHandle.current().pid());
	}

	@Test
	void healthContributorCanBeSwitchedOff() {
		this.runner.withPropertyValues("stamp.cluster.enabled=true", "management.health.stampcluster.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(RedisTopicRelay.class)
				.doesNotHaveBean(ClusterHealthIndicator.class));
	}

	@Test
	void refusesANodeTimeoutThatLiveNodesWouldOutlast() {
		this.runner
			.withPropertyValues("stamp.cluster.enabled=true", "stamp.cluster.heartbeat=5s",
					"stamp.cluster.node-timeout=5s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("stamp.cluster.node-timeout"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "0s", "-1s" })
	void refusesAHeartbeatThatNeverBeats(String heartbeat) {
		this.runner.withPropertyValues("stamp.cluster.enabled=true", "stamp.cluster.heartbeat=" + heartbeat)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("stamp.cluster.heartbeat (")
				.hasMessageContaining("must be at least a millisecond"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "stamp.cluster.publish-queue-size=0", "stamp.cluster.publish-batch-size=0" })
	void refusesAnEmptyPublishQueueOrBatch(String property) {
		this.runner.withPropertyValues("stamp.cluster.enabled=true", property)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be at least 1"));
	}

	@Test
	void refusesAHistorySizeWithoutATtl() {
		this.runner.withPropertyValues("stamp.cluster.enabled=true", "stamp.cluster.history.size=10")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(
						"stamp.cluster.history.size (10) and stamp.cluster.history.ttl (PT0S) go together"));
	}

	@Test
	void refusesAHistoryTtlWithoutASize() {
		this.runner.withPropertyValues("stamp.cluster.enabled=true", "stamp.cluster.history.ttl=1m")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("go together"));
	}

	@Test
	void refusesANegativeHistorySize() {
		this.runner
			.withPropertyValues("stamp.cluster.enabled=true", "stamp.cluster.history.size=-1",
					"stamp.cluster.history.ttl=1m")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must not be negative"));
	}

	@Test
	void topicsWithoutHistorySaySoWhenAskedForIt() {
		this.runner.withConfiguration(AutoConfigurations.of(StampAutoConfiguration.class)).run((context) -> {
			StampTopics topics = context.getBean(StampTopics.class);
			assertThat(topics.keepsHistory()).isFalse();
			assertThatIllegalStateException().isThrownBy(() -> topics.history("news", "1-0").block())
				.withMessageContaining("not in a cluster");
		});
		this.runner.withConfiguration(AutoConfigurations.of(StampAutoConfiguration.class))
			.withPropertyValues("stamp.cluster.enabled=true")
			.run((context) -> {
				StampTopics topics = context.getBean(StampTopics.class);
				assertThat(topics.keepsHistory()).isFalse();
				assertThatIllegalStateException().isThrownBy(() -> topics.recover("news", "1-0").block())
					.withMessageContaining("stamp.cluster.history.size");
			});
	}

}
