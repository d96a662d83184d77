package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.stamp.boot.topic.TopicHistory;
import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicOffsets;
import dev.stamp.boot.topic.TopicRecovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Topic history on Redis Streams across nodes, each a context of its own, on one real
 * Redis: offsets, recovery after an offset, and what happens when the history no longer
 * reaches back (trimmed to its size, or expired).
 */
class TopicHistoryClusterTests {

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	/**
	 * A publish that Redis does not answer in time is delivered without an offset: give
	 * it time on a loaded machine.
	 */
	static final String SLOW_MACHINE = "stamp.cluster.node-timeout=10s";

	private static ClusterTestNode alpha;

	private static ClusterTestNode beta;

	/** A node whose history keeps 3 messages for 1.5 seconds. */
	private static ClusterTestNode brief;

	private static StringRedisTemplate redisClient;

	@BeforeAll
	static void startNodes() {
		alpha = ClusterTestNode.start(redis, "history-alpha", "stamp.cluster.history.size=100",
				"stamp.cluster.history.ttl=1m", SLOW_MACHINE);
		beta = ClusterTestNode.start(redis, "history-beta", "stamp.cluster.history.size=100",
				"stamp.cluster.history.ttl=1m", SLOW_MACHINE);
		brief = ClusterTestNode.start(redis, "history-brief", "stamp.cluster.history.size=3",
				"stamp.cluster.history.ttl=1500ms", SLOW_MACHINE);
		redisClient = alpha.bean(StringRedisTemplate.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> List.of(alpha, beta, brief).stream().allMatch((node) -> node.topics().isReceivingRemote()));
	}

	@AfterAll
	static void stopNodes() {
		for (ClusterTestNode node : new ClusterTestNode[] { alpha, beta, brief }) {
			if (node != null) {
				node.close();
			}
		}
	}

	@Test
	void offsetsIncreaseAndReachLocalAndRemoteSubscribers() {
		Received local = new Received(alpha.topics().subscribe("scores"));
		Received remote = new Received(beta.topics().subscribe("scores"));
		try {
			assertThat(alpha.topics().keepsHistory()).isTrue();
			IntStream.range(0, 50).forEach((i) -> alpha.topics().publish("scores", "goal-" + i));
			await().atMost(Duration.ofSeconds(10)).until(() -> local.size() == 50 && remote.size() == 50);
			List<String> offsets = local.offsets();
			assertThat(offsets).doesNotContainNull();
			assertThat(offsets).isSortedAccordingTo(TopicOffsets::compare).doesNotHaveDuplicates();
			assertThat(remote.offsets()).isEqualTo(offsets);
			assertThat(local.texts()).isEqualTo(remote.texts())
				.isEqualTo(IntStream.range(0, 50).mapToObj((i) -> "goal-" + i).toList());
			assertThat(beta.topics().latestOffset("scores").block()).isEqualTo(offsets.get(49));
			TopicHistory history = beta.topics().history("scores", offsets.get(44)).block();
			assertThat(history.complete()).isTrue();
			assertThat(history.messages()).extracting(TopicMessage::text)
				.containsExactly("goal-45", "goal-46", "goal-47", "goal-48", "goal-49");
			assertThat(history.messages()).extracting(TopicMessage::nodeId).containsOnly("history-alpha");
		}
		finally {
			local.dispose();
			remote.dispose();
		}
	}

	@Test
	void aSubscriberThatComesBackGetsExactlyWhatItMissedThenTheLiveMessages() throws Exception {
		Received first = new Received(beta.topics().subscribe("match"));
		alpha.topics().publish("match", "kick-off");
		await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1);
		first.dispose();
		String lastOffset = first.offsets().get(0);
		IntStream.range(1, 6).forEach((i) -> alpha.topics().publish("match", "missed-" + i));
		await().atMost(Duration.ofSeconds(10)).until(() -> redisClient.opsForStream().size("stamp:history:match") == 6);
		// Live messages race with the recovery: none may be lost or repeated.
		Thread live = new Thread(
				() -> IntStream.range(1, 21).forEach((i) -> alpha.topics().publish("match", "live-" + i)));
		live.start();
		TopicRecovery recovery = beta.topics().recover("match", lastOffset).block();
		Received again = new Received(recovery.messages());
		try {
			live.join(TimeUnit.SECONDS.toMillis(10));
			assertThat(recovery.complete()).isTrue();
			// The missed ones at least; live publishes that reached the stream before
			// the read (a whole batch can) are replayed from it too, never twice.
			assertThat(recovery.replayed()).isBetween(5, 25);
			await().atMost(Duration.ofSeconds(10)).until(() -> again.size() >= 25);
			List<String> expected = IntStream.range(1, 6).mapToObj((i) -> "missed-" + i).toList();
			assertThat(again.texts()).startsWith(expected.toArray(String[]::new))
				.containsSubsequence(IntStream.range(1, 21).mapToObj((i) -> "live-" + i).toList())
				.hasSize(25)
				.doesNotHaveDuplicates();
			assertThat(again.offsets()).isSortedAccordingTo(TopicOffsets::compare);
		}
		finally {
			again.dispose();
		}
	}

	@Test
	void subscribingAfterAnOffsetWhilePublishingLosesAndRepeatsNothing() throws Exception {
		alpha.topics().publish("race", "start");
		String start = await().atMost(Duration.ofSeconds(10))
			.until(() -> beta.topics().latestOffset("race").blockOptional().orElse(null), (offset) -> offset != null);
		Thread live = new Thread(
				() -> IntStream.range(0, 200).forEach((i) -> alpha.topics().publish("race", "m-" + i)));
		live.start();
		Received received = new Received(beta.topics().subscribe("race", start));
		try {
			live.join(TimeUnit.SECONDS.toMillis(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 200);
			assertThat(received.texts()).isEqualTo(IntStream.range(0, 200).mapToObj((i) -> "m-" + i).toList());
		}
		finally {
			received.dispose();
		}
	}

	@Test
	void aSubscriberIsToldWhenTheHistoryWasTrimmedBeyondItsOffset() {
		Received first = new Received(alpha.topics().subscribe("trimmed"));
		brief.topics().publish("trimmed", "first");
		await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1);
		first.dispose();
		IntStream.range(1, 11).forEach((i) -> brief.topics().publish("trimmed", "missed-" + i));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> brief.topics()
				.history("trimmed", first.offsets().get(0))
				.block()
				.messages()
				.stream()
				.anyMatch((message) -> message.text().equals("missed-10")));
		assertThat(redisClient.opsForStream().size("stamp:history:trimmed")).isEqualTo(3);
		long ttl = redisClient.getExpire("stamp:history:trimmed", TimeUnit.MILLISECONDS);
		assertThat(ttl).isPositive().isLessThanOrEqualTo(1500);
		TopicRecovery recovery = alpha.topics().recover("trimmed", first.offsets().get(0)).block();
		Received again = new Received(recovery.messages());
		try {
			assertThat(recovery.complete()).isFalse();
			assertThat(recovery.replayed()).isEqualTo(3);
			brief.topics().publish("trimmed", "live");
			await().atMost(Duration.ofSeconds(10)).until(() -> again.size() == 4);
			assertThat(again.texts()).containsExactly("missed-8", "missed-9", "missed-10", "live");
			// Coming back with the offset of a message still in the history misses
			// nothing.
			TopicHistory fromKept = alpha.topics().history("trimmed", again.offsets().get(1)).block();
			assertThat(fromKept.complete()).isTrue();
			assertThat(fromKept.messages()).extracting(TopicMessage::text).containsExactly("missed-10", "live");
			// So does coming back with the offset of the message just before the oldest
			// kept.
			TopicHistory fromBeforeOldest = alpha.topics().history("trimmed", again.offsets().get(0)).block();
			assertThat(fromBeforeOldest.complete()).isTrue();
			assertThat(fromBeforeOldest.messages()).extracting(TopicMessage::text)
				.containsExactly("missed-9", "missed-10", "live");
		}
		finally {
			again.dispose();
		}
	}

	@Test
	void aSubscriberIsToldWhenTheHistoryExpiredAfterItsOffset() {
		Received first = new Received(alpha.topics().subscribe("expiring"));
		brief.topics().publish("expiring", "first");
		await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1);
		first.dispose();
		brief.topics().publish("expiring", "missed-1");
		brief.topics().publish("expiring", "missed-2");
		String latest = await().atMost(Duration.ofSeconds(10))
			.until(() -> alpha.topics().latestOffset("expiring").block(), (offset) -> offset != null
					&& TopicOffsets.compare(offset, first.offsets().get(0)) > 0
					&& alpha.topics().history("expiring", first.offsets().get(0)).block().messages().size() == 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> !redisClient.hasKey("stamp:history:expiring"));
		TopicRecovery recovery = alpha.topics().recover("expiring", first.offsets().get(0)).block();
		Received again = new Received(recovery.messages());
		try {
			assertThat(recovery.complete()).isFalse();
			assertThat(recovery.replayed()).isZero();
			// A subscriber that had the latest message missed nothing, though the history
			// is gone.
			assertThat(alpha.topics().history("expiring", latest).block().complete()).isTrue();
			brief.topics().publish("expiring", "live");
			await().atMost(Duration.ofSeconds(10)).until(() -> again.size() == 1);
			assertThat(again.texts()).containsExactly("live");
			// The stream starts again: what came before it is lost to an old offset.
			TopicHistory afterRestart = alpha.topics().history("expiring", first.offsets().get(0)).block();
			assertThat(afterRestart.complete()).isFalse();
			assertThat(afterRestart.messages()).extracting(TopicMessage::text).containsExactly("live");
			assertThat(alpha.topics().history("expiring", latest).block().complete()).isFalse();
		}
		finally {
			again.dispose();
		}
	}

	/** What one subscription received. */
	static final class Received {

		private final List<TopicMessage> messages = new CopyOnWriteArrayList<>();

		private final Disposable subscription;

		Received(Flux<TopicMessage> flux) {
			this.subscription = flux.subscribe(this.messages::add);
		}

		int size() {
			return this.messages.size();
		}

		List<String> texts() {
			return this.messages.stream().map(TopicMessage::text).toList();
		}

		List<TopicMessage> messages() {
			return List.copyOf(this.messages);
		}

		List<String> offsets() {
			// Not toList(): an offset may be null.
			return this.messages.stream().map(TopicMessage::offset).collect(Collectors.toList());
		}

		void dispose() {
			this.subscription.dispose();
		}

	}

}
