package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence converges to the members each node has, whatever writes were lost: joins and
 * leaves made while Redis is stopped, with a Redis that keeps its data (an append-only
 * file) and hashes that outlive the outage, so that only this node's repair can remove a
 * departed member.
 */
class PresenceConvergenceClusterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServerProcess redis = RedisServerProcess.keepingData();

	@Test
	void aLeaveWhileRedisIsStoppedIsRemovedOnceRedisIsBack() {
		try (ClusterTestNode alpha = start("leave-alpha"); ClusterTestNode beta = start("leave-beta")) {
			alpha.presence().join("lobby", "ann");
			alpha.presence().join("lobby", "bob");
			beta.presence().join("lobby", "cid");
			awaitPresence(beta, "lobby", member("ann", alpha), member("bob", alpha), member("cid", beta));
			outage(alpha, () -> alpha.presence().leave("lobby", "bob"), "lobby");
			awaitPresence(beta, "lobby", member("ann", alpha), member("cid", beta));
			assertThat(alpha.presence().isDirty("lobby")).isFalse();
		}
	}

	@Test
	void theLastMemberLeavingWhileRedisIsStoppedIsRemovedOnceRedisIsBack() {
		try (ClusterTestNode alpha = start("last-alpha"); ClusterTestNode beta = start("last-beta")) {
			alpha.presence().join("porch", "dan");
			beta.presence().join("porch", "eve");
			awaitPresence(beta, "porch", member("dan", alpha), member("eve", beta));
			// The topic has no member left on alpha, so only its dirty mark brings alpha
			// back to it.
			outage(alpha, () -> alpha.presence().leave("porch", "dan"), "porch");
			awaitPresence(beta, "porch", member("eve", beta));
			assertThat(alpha.presence().isDirty("porch")).isFalse();
		}
	}

	@Test
	void aJoinWhileRedisIsStoppedAppearsOnceRedisIsBack() {
		try (ClusterTestNode alpha = start("join-alpha"); ClusterTestNode beta = start("join-beta")) {
			beta.presence().join("hall", "fay");
			awaitPresence(alpha, "hall", member("fay", beta));
			outage(alpha, () -> alpha.presence().join("hall", "gus"), "hall");
			awaitPresence(beta, "hall", member("gus", alpha), member("fay", beta));
		}
	}

	@Test
	void aReplaceLeavesTheFieldsOfOtherNodesAlone() {
		// Same length, so both fields start "7:conv-a": unescaped, alpha's MATCH pattern
		// "7:conv-a**" would take in beta's fields too.
		try (ClusterTestNode alpha = start("conv-a*"); ClusterTestNode beta = start("conv-ab")) {
			alpha.presence().join("shared", "one");
			alpha.presence().join("shared", "two");
			beta.presence().join("shared", "three");
			beta.presence().join("shared", "four");
			awaitPresence(beta, "shared", member("one", alpha), member("two", alpha), member("four", beta),
					member("three", beta));
			// Beta stops heartbeating: from now on only alpha writes the hash.
			beta.halt();
			outage(alpha, () -> alpha.presence().leave("shared", "two"), "shared");
			awaitPresence(alpha, "shared", member("one", alpha), member("four", beta), member("three", beta));
			assertThat(alpha.presence().isDirty("shared")).isFalse();
		}
	}

	@Test
	void aRewriteAfterAFailedHeartbeatRemovesWhatRedisKeptButTheNodeNoLongerHas() {
		try (ClusterTestNode alpha = start("stale-alpha")) {
			alpha.presence().join("attic", "hal");
			awaitPresence(alpha, "attic", member("hal", alpha));
			// What a Redis restored from an older snapshot may hold: a member of alpha's
			// that left long ago. Alpha's heartbeats only extend the hash.
			String nodeId = "stale-alpha";
			redis.command("HSET", new ClusterKeys("stamp:").presence("attic"), nodeId.length() + ":" + nodeId + "ivy",
					nodeId);
			awaitPresence(alpha, "attic", member("hal", alpha), member("ivy", alpha));
			// A failed heartbeat marks every topic for a rewrite; the next refresh makes
			// Redis hold exactly the node's members.
			alpha.presence().rewriteAll();
			alpha.presence().refresh().block(TIMEOUT);
			// At once: the periodic full rewrite would remove it too, some heartbeats
			// later.
			assertThat(alpha.presence().presence("attic").block(TIMEOUT)).containsExactly(member("hal", alpha));
		}
	}

	@Test
	void joinsAndLeavesOfTheSameMembersRacingEndInTheLocalState() throws Exception {
		try (ClusterTestNode alpha = start("race-alpha"); ClusterTestNode beta = start("race-beta")) {
			int threads = 4;
			ExecutorService executor = Executors.newFixedThreadPool(threads);
			try {
				CountDownLatch go = new CountDownLatch(1);
				List<Future<?>> done = new ArrayList<>();
				for (int thread = 0; thread < threads; thread++) {
					done.add(executor.submit(() -> {
						go.await();
						ThreadLocalRandom random = ThreadLocalRandom.current();
						// Every thread joins and leaves the same few members, so that
						// the writes of one member cross each other on their way.
						for (int round = 0; round < 500; round++) {
							String memberId = "racer-" + random.nextInt(6);
							if (random.nextBoolean()) {
								alpha.presence().join("track", memberId);
							}
							else {
								alpha.presence().leave("track", memberId);
							}
						}
						return null;
					}));
				}
				go.countDown();
				for (Future<?> future : done) {
					future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
				}
			}
			finally {
				executor.shutdownNow();
			}
			PresenceMember[] expected = alpha.presence()
				.localMembers("track")
				.stream()
				.sorted()
				.map((memberId) -> member(memberId, alpha))
				.toArray(PresenceMember[]::new);
			awaitPresence(beta, "track", expected);
		}
	}

	/**
	 * Stops Redis, runs the change, waits until the node knows its write failed, then
	 * starts Redis again with its data, which must still hold the hashes.
	 */
	private static void outage(ClusterTestNode node, Runnable change, String topic) {
		// A client of its own: the node's blocking template, connecting now, would
		// wait for the lock the node's reactive commands take.
		redis.command("SET", "test:kept", "yes");
		redis.stop();
		try {
			change.run();
			await().atMost(TIMEOUT).until(() -> node.presence().isDirty(topic));
		}
		finally {
			redis.start();
		}
		assertThat(redis.command("GET", "test:kept")).isEqualTo("yes");
		assertThat(redis.command("EXISTS", new ClusterKeys("stamp:").presence(topic))).isEqualTo("1");
	}

	private static void awaitPresence(ClusterTestNode node, String topic, PresenceMember... expected) {
		await().atMost(TIMEOUT)
			.ignoreExceptions()
			.until(() -> node.presence().presence(topic).block(TIMEOUT).equals(List.of(expected)));
	}

	private static PresenceMember member(String memberId, ClusterTestNode node) {
		return new PresenceMember(memberId, node.cluster().nodeId());
	}

	private static ClusterTestNode start(String nodeId) {
		// The hashes outlive a short outage, as when other nodes keep them alive; and
		// commands fail at once while Redis is away instead of waiting for it.
		return ClusterTestNode.start(redis, nodeId, new Class<?>[] { FailFast.class },
				"stamp.cluster.node-timeout=20s");
	}

	@Configuration(proxyBeanMethods = false)
	static class FailFast {

		@Bean
		LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
			return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		}

	}

}
