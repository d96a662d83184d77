package dev.stamp.boot.cluster;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The check of Redis' version and topology against real {@code redis-server}s: one
 * started with {@code --cluster-enabled yes}, and Debian's 7.0 as it is.
 */
class RedisRequirementsClusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void aRedisClusterMakesHealthDownWithTheReason() {
		try (RedisServerProcess clustered = RedisServerProcess.withClusterEnabled()) {
			clustered.start();
			try (ClusterTestNode node = ClusterTestNode.start(clustered, "clustered")) {
				await().atMost(TIMEOUT).until(() -> node.cluster().requirementsChecked());
				assertThat(node.cluster().requirementFailure()).contains("cluster_enabled:1", "CROSSSLOT");
				Health health = node.health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("reason")).asString().contains("cluster_enabled:1");
			}
		}
	}

	@Test
	void redis7WithHistoryIsUp() {
		try (RedisServerProcess standalone = new RedisServerProcess()) {
			standalone.start();
			try (ClusterTestNode node = ClusterTestNode.start(standalone, "standalone", "stamp.cluster.history.size=10",
					"stamp.cluster.history.ttl=1m")) {
				await().atMost(TIMEOUT).until(() -> node.health().getStatus().equals(Status.UP));
				assertThat(node.cluster().requirementsChecked()).isTrue();
				assertThat(node.cluster().requirementFailure()).isNull();
			}
		}
	}

}
