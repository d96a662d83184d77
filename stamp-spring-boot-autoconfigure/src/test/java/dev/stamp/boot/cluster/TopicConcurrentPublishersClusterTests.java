package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

import dev.stamp.boot.topic.TopicHistory;
import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicRecovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes publish to one topic at the same time, from several threads each: every node,
 * the two publishers and a third that only listens, delivers the topic's messages in the
 * order of their offsets, none missing, so a client that resumes after any offset it got
 * recovers exactly the rest.
 */
class TopicConcurrentPublishersClusterTests {

	private static final String TOPIC = "crowded";

	private static final int THREADS_PER_NODE = 3;

	private static final int MESSAGES_PER_THREAD = 1_000;

	private static final int TOTAL = 2 * THREADS_PER_NODE * MESSAGES_PER_THREAD;

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	@Test
	void everyNodeDeliversTheMessagesOfConcurrentPublishersInOffsetOrder() throws Exception {
		// History and queue hold every message: what is measured is the order, not what a
		// smaller history trims or a smaller queue drops.
		String[] properties = { "stamp.cluster.history.size=" + (2 * TOTAL), "stamp.cluster.history.ttl=5m",
				"stamp.cluster.publish-queue-size=" + TOTAL, "stamp.cluster.node-timeout=10s" };
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "crowd-alpha", properties);
				ClusterTestNode beta = ClusterTestNode.start(redis, "crowd-beta", properties);
				ClusterTestNode gamma = ClusterTestNode.start(redis, "crowd-gamma", properties)) {
			List<ClusterTestNode> nodes = List.of(alpha, beta, gamma);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> nodes.stream().allMatch((node) -> node.topics().isReceivingRemote()));
			List<Received> received = nodes.stream().map((node) -> new Received(node)).toList();
			Channel channel = new Channel(gamma);
			try {
				// Every node has delivered a message of the topic before the crowd
				// starts.
				alpha.topics().publish(TOPIC, "warm-up");
				await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().allMatch((r) -> r.size() == 1));
				publishConcurrently(alpha, beta);
				await().atMost(Duration.ofSeconds(60))
					.until(() -> received.stream().allMatch((r) -> r.size() >= TOTAL + 1));
				assertThat(alpha.topics().droppedPublishes()).isZero();
				assertThat(beta.topics().droppedPublishes()).isZero();
				List<String> stream = streamOffsets(alpha.bean(StringRedisTemplate.class));
				assertThat(stream).hasSize(TOTAL + 1);
				// On the channel every message names the one before it in the stream.
				await().atMost(Duration.ofSeconds(10)).until(() -> channel.size() >= TOTAL + 1);
				List<TopicMessageCodec.Decoded> chain = channel.messages();
				assertThat(chain.get(0).previousOffset()).as("the stream's first message").isNull();
				for (int i = 1; i < chain.size(); i++) {
					assertThat(chain.get(i).previousOffset()).isEqualTo(chain.get(i - 1).message().offset());
				}
				assertThat(chain).extracting((decoded) -> decoded.message().offset()).containsExactlyElementsOf(stream);
				for (Received r : received) {
					// Each delivered message follows the one delivered before it, on
					// every node.
					assertThat(r.offsets()).as(r.nodeId).containsExactlyElementsOf(stream);
				}
				// A client of alpha that got half of them and comes back on beta.
				List<String> seen = received.get(0).offsets();
				String middle = seen.get(seen.size() / 2);
				TopicRecovery recovery = beta.topics().recover(TOPIC, middle).block(Duration.ofSeconds(10));
				assertThat(recovery.complete()).isTrue();
				List<String> recovered = new ArrayList<>(seen.subList(0, seen.size() / 2 + 1));
				recovered.addAll(recovery.messages()
					.take(recovery.replayed())
					.map(TopicMessage::offset)
					.collectList()
					.block(Duration.ofSeconds(10)));
				assertThat(recovered).containsExactlyElementsOf(stream);
				TopicHistory rest = gamma.topics().history(TOPIC, middle).block(Duration.ofSeconds(10));
				assertThat(rest.complete()).isTrue();
				assertThat(rest.messages()).extracting(TopicMessage::offset)
					.containsExactlyElementsOf(seen.subList(seen.size() / 2 + 1, seen.size()));
			}
			finally {
				received.forEach(Received::dispose);
				channel.dispose();
			}
		}
	}

	@Test
	void aMessageMissingFromTheChannelIsReadFromTheHistoryAndDeliveredInItsPlace() {
		String[] properties = { "stamp.cluster.history.size=100", "stamp.cluster.history.ttl=1m",
				"stamp.cluster.node-timeout=10s" };
		String topic = "gappy";
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "gap-alpha", properties);
				ClusterTestNode beta = ClusterTestNode.start(redis, "gap-beta", properties)) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> alpha.topics().isReceivingRemote() && beta.topics().isReceivingRemote());
			List<TopicMessage> local = Collections.synchronizedList(new ArrayList<>());
			List<TopicMessage> remote = Collections.synchronizedList(new ArrayList<>());
			Disposable localSubscription = alpha.topics().subscribe(topic).subscribe(local::add);
			Disposable remoteSubscription = beta.topics().subscribe(topic).subscribe(remote::add);
			try {
				alpha.topics().publish(topic, "before");
				await().atMost(Duration.ofSeconds(10)).until(() -> local.size() == 1 && remote.size() == 1);
				// An entry that reached the stream but no node's channel, as when a
				// node's subscription was down while it was published.
				StringRedisTemplate redisClient = alpha.bean(StringRedisTemplate.class);
				String missed = redisClient.opsForStream()
					.add(MapRecord.create("stamp:history:" + topic,
							Map.of("node", "gap-ghost", "flags", "0", "payload", "missed")))
					.getValue();
				alpha.topics().publish(topic, "after");
				await().atMost(Duration.ofSeconds(10)).until(() -> local.size() == 3 && remote.size() == 3);
				for (List<TopicMessage> received : List.of(local, remote)) {
					assertThat(received).extracting(TopicMessage::text).containsExactly("before", "missed", "after");
					assertThat(received.get(1).offset()).isEqualTo(missed);
					assertThat(received.get(1).nodeId()).isEqualTo("gap-ghost");
				}
				assertThat(remote).extracting(TopicMessage::offset)
					.containsExactlyElementsOf(local.stream().map(TopicMessage::offset).toList());
			}
			finally {
				localSubscription.dispose();
				remoteSubscription.dispose();
			}
		}
	}

	private static void publishConcurrently(ClusterTestNode... publishers) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(publishers.length * THREADS_PER_NODE);
		try {
			List<Future<?>> publishing = new ArrayList<>();
			for (ClusterTestNode publisher : publishers) {
				for (int thread = 0; thread < THREADS_PER_NODE; thread++) {
					String prefix = publisher.topics().nodeId() + "-" + thread + "-";
					publishing.add(executor.submit(() -> {
						for (int i = 0; i < MESSAGES_PER_THREAD; i++) {
							publisher.topics().publish(TOPIC, prefix + i);
						}
					}));
				}
			}
			for (Future<?> future : publishing) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static List<String> streamOffsets(StringRedisTemplate redis) {
		List<MapRecord<String, Object, Object>> entries = redis.opsForStream()
			.range("stamp:history:" + TOPIC, Range.unbounded());
		return entries.stream().map((entry) -> entry.getId().getValue()).toList();
	}

	/** What the topic's channel carried, decoded with the predecessors. */
	private static final class Channel {

		private final List<TopicMessageCodec.Decoded> messages = Collections.synchronizedList(new ArrayList<>());

		private final Disposable subscription;

		Channel(ClusterTestNode node) {
			ReactiveRedisMessageListenerContainer container = new ReactiveRedisMessageListenerContainer(
					node.bean(ReactiveRedisConnectionFactory.class));
			AtomicBoolean subscribed = new AtomicBoolean();
			SubscriptionListener listener = new SubscriptionListener() {

				@Override
				public void onChannelSubscribed(byte[] channel, long count) {
					subscribed.set(true);
				}

			};
			this.subscription = container
				.receive(List.of(ChannelTopic.of("stamp:topic:" + TOPIC)),
						SerializationPair.fromSerializer(RedisSerializer.string()),
						SerializationPair.fromSerializer(RedisSerializer.byteArray()), listener)
				.doFinally((signal) -> container.destroyLater().subscribe())
				.subscribe((message) -> this.messages
					.add(TopicMessageCodec.decodeWithPrevious(TOPIC, message.getMessage())));
			await().atMost(Duration.ofSeconds(10)).untilTrue(subscribed);
		}

		int size() {
			return this.messages.size();
		}

		List<TopicMessageCodec.Decoded> messages() {
			synchronized (this.messages) {
				return List.copyOf(this.messages);
			}
		}

		void dispose() {
			this.subscription.dispose();
		}

	}

	/** What one node's subscriber received, in order. */
	private static final class Received {

		private final String nodeId;

		private final List<TopicMessage> messages = Collections.synchronizedList(new ArrayList<>());

		private final Disposable subscription;

		Received(ClusterTestNode node) {
			this.nodeId = node.topics().nodeId();
			this.subscription = node.topics().subscribe(TOPIC).subscribe(this.messages::add);
		}

		int size() {
			return this.messages.size();
		}

		List<String> offsets() {
			synchronized (this.messages) {
				return this.messages.stream().map(TopicMessage::offset).toList();
			}
		}

		void dispose() {
			this.subscription.dispose();
		}

	}

}
