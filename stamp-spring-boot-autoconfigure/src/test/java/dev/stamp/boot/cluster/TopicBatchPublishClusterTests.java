package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;

import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicOffsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst from one publisher goes to Redis in batches: the other node still receives
 * every message once and in the publisher's order, with and without history, and with
 * history each batch's offsets keep increasing; a node that stops right after a burst
 * still gets it to the other node.
 */
class TopicBatchPublishClusterTests {

	private static final int COUNT = 2_000;

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aBurstFromOnePublisherArrivesCompleteAndInOrderOnTheOtherNode(boolean history) {
		// The queue holds the whole burst: what is measured is the batches' order, not
		// how many publishes a queue of the default size drops when a loop outruns Redis.
		String[] properties = history
				? new String[] { "stamp.cluster.publish-queue-size=" + COUNT, "stamp.cluster.history.size=" + COUNT,
						"stamp.cluster.history.ttl=1m", "stamp.cluster.node-timeout=10s" }
				: new String[] { "stamp.cluster.publish-queue-size=" + COUNT, "stamp.cluster.node-timeout=10s" };
		String topic = "burst-" + history;
		try (ClusterTestNode publisher = ClusterTestNode.start(redis, "burst-publisher-" + history, properties);
				ClusterTestNode receiver = ClusterTestNode.start(redis, "burst-receiver-" + history, properties)) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> publisher.topics().isReceivingRemote() && receiver.topics().isReceivingRemote());
			List<TopicMessage> local = new CopyOnWriteArrayList<>();
			List<TopicMessage> remote = new CopyOnWriteArrayList<>();
			Disposable localSubscription = publisher.topics().subscribe(topic).subscribe(local::add);
			Disposable remoteSubscription = receiver.topics().subscribe(topic).subscribe(remote::add);
			try {
				IntStream.range(0, COUNT).forEach((i) -> publisher.topics().publish(topic, "m-" + i));
				List<String> expected = IntStream.range(0, COUNT).mapToObj((i) -> "m-" + i).toList();
				await().atMost(Duration.ofSeconds(30)).until(() -> remote.size() >= COUNT && local.size() >= COUNT);
				assertThat(remote).extracting(TopicMessage::text).containsExactlyElementsOf(expected);
				assertThat(local).extracting(TopicMessage::text).containsExactlyElementsOf(expected);
				assertThat(publisher.topics().droppedPublishes()).isZero();
				if (history) {
					assertIncreasingOffsets(remote);
					assertThat(remote).extracting(TopicMessage::offset)
						.containsExactlyElementsOf(local.stream().map(TopicMessage::offset).toList());
				}
				else {
					assertThat(remote).extracting(TopicMessage::offset).containsOnlyNulls();
				}
			}
			finally {
				localSubscription.dispose();
				remoteSubscription.dispose();
			}
		}
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aNodeThatStopsRightAfterABurstStillSendsItToTheOtherNodes(boolean history) {
		// The node timeout (10 s) bounds how long stopping waits for the queue to reach
		// Redis.
		String[] properties = history
				? new String[] { "stamp.cluster.publish-queue-size=" + COUNT, "stamp.cluster.history.size=" + COUNT,
						"stamp.cluster.history.ttl=1m", "stamp.cluster.node-timeout=10s" }
				: new String[] { "stamp.cluster.publish-queue-size=" + COUNT, "stamp.cluster.node-timeout=10s" };
		String topic = "last-words-" + history;
		try (ClusterTestNode receiver = ClusterTestNode.start(redis, "last-words-receiver-" + history, properties)) {
			List<TopicMessage> remote = new CopyOnWriteArrayList<>();
			Disposable subscription = receiver.topics().subscribe(topic).subscribe(remote::add);
			long dropped;
			try (ClusterTestNode publisher = ClusterTestNode.start(redis, "last-words-publisher-" + history,
					properties)) {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> publisher.topics().isReceivingRemote() && receiver.topics().isReceivingRemote());
				StampTopics topics = publisher.topics();
				IntStream.range(0, COUNT).forEach((i) -> topics.publish(topic, "m-" + i));
				// Stopped with most of the burst still queued for Redis.
				publisher.close();
				dropped = topics.droppedPublishes();
			}
			try {
				assertThat(dropped).isZero();
				await().atMost(Duration.ofSeconds(10)).until(() -> remote.size() >= COUNT);
				assertThat(remote).extracting(TopicMessage::text)
					.containsExactlyElementsOf(IntStream.range(0, COUNT).mapToObj((i) -> "m-" + i).toList());
			}
			finally {
				subscription.dispose();
			}
		}
	}

	@Test
	void aNodeThatStopsWhileRedisIsDownCountsEveryPublishTheOtherNodesMiss() {
		ClusterTestNode publisher = ClusterTestNode.start(redis, "unheard-publisher",
				"stamp.cluster.publish-queue-size=" + COUNT);
		StampTopics topics = publisher.topics();
		try {
			await().atMost(Duration.ofSeconds(10)).until(topics::isReceivingRemote);
			redis.stop();
			IntStream.range(0, 100).forEach((i) -> topics.publish("unheard", "m-" + i));
			// Stops with a batch in flight that Redis never answers.
			publisher.close();
			topics.publish("unheard", "after stop");
			await().atMost(Duration.ofSeconds(15)).until(() -> topics.droppedPublishes() >= 101);
			assertThat(topics.droppedPublishes()).isEqualTo(101);
		}
		finally {
			publisher.close();
			redis.start();
		}
	}

	@Test
	void aBatchSizeOfOneStillDeliversInOrder() {
		String[] properties = { "stamp.cluster.publish-batch-size=1", "stamp.cluster.node-timeout=10s" };
		try (ClusterTestNode publisher = ClusterTestNode.start(redis, "single-publisher", properties);
				ClusterTestNode receiver = ClusterTestNode.start(redis, "single-receiver", properties)) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> publisher.topics().isReceivingRemote() && receiver.topics().isReceivingRemote());
			List<TopicMessage> remote = new CopyOnWriteArrayList<>();
			Disposable subscription = receiver.topics().subscribe("single").subscribe(remote::add);
			try {
				IntStream.range(0, 200).forEach((i) -> publisher.topics().publish("single", "m-" + i));
				await().atMost(Duration.ofSeconds(30)).until(() -> remote.size() >= 200);
				assertThat(remote).extracting(TopicMessage::text)
					.containsExactlyElementsOf(IntStream.range(0, 200).mapToObj((i) -> "m-" + i).toList());
			}
			finally {
				subscription.dispose();
			}
		}
	}

	private static void assertIncreasingOffsets(List<TopicMessage> messages) {
		for (int i = 1; i < messages.size(); i++) {
			assertThat(TopicOffsets.compare(messages.get(i).offset(), messages.get(i - 1).offset()))
				.as("offset of message %d after the previous one", i)
				.isPositive();
		}
	}

}
