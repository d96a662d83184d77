package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.stamp.boot.cluster.TopicHistoryClusterTests.Received;
import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicOffsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis stopping and starting again under two nodes with history: local delivery goes on
 * without offsets and without waiting for Redis, and offsets come back with Redis.
 */
class TopicHistoryRedisFaultTests {

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	@Test
	void localDeliveryGoesOnWithoutOffsetsWhileRedisIsDown() {
		String[] history = { "stamp.cluster.history.size=100", "stamp.cluster.history.ttl=1m",
				"stamp.cluster.node-timeout=5s" };
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "history-fault-alpha", history);
				ClusterTestNode beta = ClusterTestNode.start(redis, "history-fault-beta", history)) {
			Received local = new Received(alpha.topics().subscribe("feed"));
			Received remote = new Received(beta.topics().subscribe("feed"));
			try {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> alpha.topics().isReceivingRemote() && beta.topics().isReceivingRemote());
				alpha.topics().publish("feed", "before");
				await().atMost(Duration.ofSeconds(10)).until(() -> remote.size() == 1);
				String before = local.offsets().get(0);
				assertThat(before).isNotNull();

				redis.stop();
				alpha.topics().publish("feed", "during-0");
				await().atMost(Duration.ofSeconds(20)).until(() -> local.size() == 2);
				assertThat(alpha.topics().droppedPublishes()).isPositive();
				// Once a publish failed, the next ones are not held up by Redis.
				for (int i = 1; i <= 100; i++) {
					alpha.topics().publish("feed", "during-" + i);
				}
				await().atMost(Duration.ofSeconds(5)).until(() -> local.size() == 102);
				assertThat(local.messages().subList(1, 102)).extracting(TopicMessage::offset).containsOnlyNulls();
				assertThat(local.texts().subList(1, 102)).startsWith("during-0", "during-1").endsWith("during-100");

				redis.start();
				AtomicInteger after = new AtomicInteger();
				await().atMost(Duration.ofSeconds(60)).until(() -> {
					alpha.topics().publish("feed", "after-" + after.incrementAndGet());
					return remote.texts().stream().anyMatch((text) -> text.startsWith("after-"));
				});
				TopicMessage resumed = remote.messages().get(remote.size() - 1);
				assertThat(resumed.offset()).isNotNull();
				assertThat(TopicOffsets.compare(resumed.offset(), before)).isPositive();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> local.messages()
						.stream()
						.anyMatch((message) -> resumed.offset().equals(message.offset())));
			}
			finally {
				local.dispose();
				remote.dispose();
			}
		}
	}

}
