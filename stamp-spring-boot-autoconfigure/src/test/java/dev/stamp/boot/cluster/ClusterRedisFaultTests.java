package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis stopping and starting again under two running nodes: local delivery goes on,
 * remote publishes are counted as dropped, health says why, and everything comes back by
 * itself.
 */
class ClusterRedisFaultTests {

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	@Test
	void aFrozenRedisNeverBlocksThePublisherBeyondItsBoundedQueue() {
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "frozen-alpha", "stamp.cluster.publish-queue-size=8");
				ClusterTestNode beta = ClusterTestNode.start(redis, "frozen-beta")) {
			List<String> local = new CopyOnWriteArrayList<>();
			List<String> remote = new CopyOnWriteArrayList<>();
			Disposable localSubscription = alpha.topics().subscribe("ticks").subscribe((m) -> local.add(m.text()));
			Disposable remoteSubscription = beta.topics().subscribe("ticks").subscribe((m) -> remote.add(m.text()));
			try {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> alpha.topics().isReceivingRemote() && beta.topics().isReceivingRemote());
				redis.freeze();
				try {
					// Redis takes the bytes and never answers: were publishing to wait
					// for it, this loop would not end while Redis is frozen.
					for (int i = 0; i < 200; i++) {
						alpha.topics().publish("ticks", "frozen-" + i);
					}
					assertThat(local).hasSize(200);
					assertThat(alpha.topics().droppedPublishes()).isPositive();
				}
				finally {
					redis.unfreeze();
				}
				AtomicInteger after = new AtomicInteger();
				await().atMost(Duration.ofSeconds(60)).until(() -> {
					alpha.topics().publish("ticks", "thawed-" + after.incrementAndGet());
					return remote.stream().anyMatch((text) -> text.startsWith("thawed-"));
				});
			}
			finally {
				localSubscription.dispose();
				remoteSubscription.dispose();
			}
		}
	}

	@Test
	void aRedisRestartInterruptsOnlyTheRemoteDelivery() {
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "fault-alpha", "stamp.cluster.publish-queue-size=4");
				ClusterTestNode beta = ClusterTestNode.start(redis, "fault-beta")) {
			List<String> local = new CopyOnWriteArrayList<>();
			List<String> remote = new CopyOnWriteArrayList<>();
			Disposable localSubscription = alpha.topics().subscribe("news").subscribe((m) -> local.add(m.text()));
			Disposable remoteSubscription = beta.topics().subscribe("news").subscribe((m) -> remote.add(m.text()));
			try {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> alpha.topics().isReceivingRemote() && beta.topics().isReceivingRemote()
							&& alpha.health().getStatus().equals(Status.UP));
				alpha.topics().publish("news", "before");
				await().atMost(Duration.ofSeconds(10)).until(() -> remote.contains("before"));
				int clientsBefore = connectedClients();

				redis.stop();
				AtomicInteger sent = new AtomicInteger();
				await().atMost(Duration.ofSeconds(30)).until(() -> {
					alpha.topics().publish("news", "during-" + sent.incrementAndGet());
					return alpha.topics().droppedPublishes() > 0;
				});
				assertThat(local).contains("before", "during-1", "during-" + sent.get());
				Health down = alpha.health();
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails().get("reason")).asString().isNotBlank();
				assertThat(down.getDetails()).containsKey("droppedPublishes");

				redis.start();
				AtomicInteger after = new AtomicInteger();
				await().atMost(Duration.ofSeconds(60)).until(() -> {
					alpha.topics().publish("news", "after-" + after.incrementAndGet());
					return remote.stream().anyMatch((text) -> text.startsWith("after-"));
				});
				await().atMost(Duration.ofSeconds(30))
					.until(() -> alpha.health().getStatus().equals(Status.UP)
							&& beta.health().getStatus().equals(Status.UP));
				await().atMost(Duration.ofSeconds(10)).until(() -> alpha.cluster().nodes().block().size() == 2);
				// Every connection attempt and subscription container of the outage was
				// closed: the nodes hold no more connections than before it.
				await().atMost(Duration.ofSeconds(10)).until(() -> connectedClients() <= clientsBefore);
			}
			finally {
				localSubscription.dispose();
				remoteSubscription.dispose();
			}
		}
	}

	@Test
	void aNodeStartedWhileRedisIsDownJoinsWhenRedisAnswers() {
		redis.stop();
		try (ClusterTestNode early = ClusterTestNode.start(redis, "early")) {
			assertThat(early.health().getStatus()).isEqualTo(Status.DOWN);
			redis.start();
			try (ClusterTestNode late = ClusterTestNode.start(redis, "late")) {
				List<String> received = new CopyOnWriteArrayList<>();
				Disposable subscription = early.topics()
					.subscribe("late-news")
					.subscribe((m) -> received.add(m.text()));
				try {
					await().atMost(Duration.ofSeconds(60)).until(() -> {
						late.topics().publish("late-news", "hello");
						return !received.isEmpty();
					});
					await().atMost(Duration.ofSeconds(30)).until(() -> early.health().getStatus().equals(Status.UP));
				}
				finally {
					subscription.dispose();
				}
			}
		}
		finally {
			redis.start();
		}
	}

	@Test
	void presenceIsWrittenAgainAfterRedisLostIt() {
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "refill-alpha");
				ClusterTestNode beta = ClusterTestNode.start(redis, "refill-beta")) {
			beta.presence().join("hall", "eve");
			await().atMost(Duration.ofSeconds(10)).until(() -> alpha.presence().presence("hall").block().size() == 1);
			redis.restart();
			await().atMost(Duration.ofSeconds(60))
				.ignoreExceptions()
				.until(() -> alpha.presence()
					.presence("hall")
					.block()
					.equals(List.of(new PresenceMember("eve", "refill-beta"))));
		}
	}

	@Test
	void aLargeRoomIsWrittenBackInBatchesAfterRedisLostIt() {
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "crowd-alpha");
				ClusterTestNode beta = ClusterTestNode.start(redis, "crowd-beta")) {
			int members = 2_500;
			for (int i = 0; i < members; i++) {
				beta.presence().join("stadium", "fan-" + i);
			}
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> alpha.presence().presence("stadium").block().size() == members);
			redis.restart();
			// The hash is gone: the next heartbeat's EXPIRE says so, and the node writes
			// its members back, more than one HSET's worth.
			await().atMost(Duration.ofSeconds(60))
				.ignoreExceptions()
				.until(() -> alpha.presence().presence("stadium").block().size() == members);
		}
	}

	/** Clients connected to Redis, this call's own connection not counted. */
	private static int connectedClients() {
		String info = redis.command("INFO", "clients");
		return info.lines()
			.filter((line) -> line.startsWith("connected_clients:"))
			.mapToInt((line) -> Integer.parseInt(line.substring("connected_clients:".length()).trim()))
			.findFirst()
			.orElseThrow() - 1;
	}

}
