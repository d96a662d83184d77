package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicOverflowException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Topics across three nodes, each a context of its own, on one real Redis.
 */
class StampTopicsClusterTests {

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	private static ClusterTestNode alpha;

	private static ClusterTestNode beta;

	private static ClusterTestNode gamma;

	@BeforeAll
	static void startNodes() {
		alpha = ClusterTestNode.start(redis, "alpha", "stamp.topics.subscriber-buffer-size=16");
		beta = ClusterTestNode.start(redis, "beta");
		gamma = ClusterTestNode.start(redis, "gamma");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> List.of(alpha, beta, gamma).stream().allMatch((node) -> node.topics().isReceivingRemote()));
	}

	@AfterAll
	static void stopNodes() {
		for (ClusterTestNode node : new ClusterTestNode[] { alpha, beta, gamma }) {
			if (node != null) {
				node.close();
			}
		}
	}

	@Test
	void everyNodeDeliversEachMessageOnceInTheOrderOfItsPublisher() {
		int count = 500;
		List<Received> received = List.of(new Received(alpha, "orders"), new Received(beta, "orders"),
				new Received(gamma, "orders"));
		try {
			IntStream.range(0, count).forEach((i) -> alpha.topics().publish("orders", "alpha-" + i));
			IntStream.range(0, count).forEach((i) -> gamma.topics().publish("orders", "gamma-" + i));
			List<String> expectedFromAlpha = IntStream.range(0, count).mapToObj((i) -> "alpha-" + i).toList();
			List<String> expectedFromGamma = IntStream.range(0, count).mapToObj((i) -> "gamma-" + i).toList();
			for (Received subscriber : received) {
				await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.texts.size() >= 2 * count);
				assertThat(subscriber.texts).hasSize(2 * count);
				assertThat(subscriber.texts.stream().filter((text) -> text.startsWith("alpha-")))
					.containsExactlyElementsOf(expectedFromAlpha);
				assertThat(subscriber.texts.stream().filter((text) -> text.startsWith("gamma-")))
					.containsExactlyElementsOf(expectedFromGamma);
			}
			assertThat(received.get(0).nodes).containsOnly("alpha", "gamma");
		}
		finally {
			received.forEach(Received::dispose);
		}
	}

	@Test
	void bytesArriveAsBytesAndTopicsStayApart() {
		Received room1 = new Received(beta, "room/1");
		Received room2 = new Received(beta, "room/2");
		try {
			gamma.topics().publish("room/2", new byte[] { 0, 1, 2, (byte) 0xff });
			gamma.topics().publish("room/1", "for room 1");
			await().atMost(Duration.ofSeconds(10)).until(() -> room1.texts.size() == 1 && room2.binary.size() == 1);
			assertThat(room1.texts).containsExactly("for room 1");
			assertThat(room2.texts).isEmpty();
			assertThat(room2.binary.get(0)).containsExactly(0, 1, 2, 0xff);
		}
		finally {
			room1.dispose();
			room2.dispose();
		}
	}

	@Test
	void aSubscriberThatFallsBehindIsCutOffWithoutSlowingTheOthers() {
		int count = 200;
		Received fast = new Received(alpha, "ticker");
		SlowSubscriber slow = new SlowSubscriber();
		alpha.topics().subscribe("ticker").subscribe(slow);
		Received remote = new Received(beta, "ticker");
		try {
			IntStream.range(0, count).forEach((i) -> alpha.topics().publish("ticker", "tick-" + i));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> fast.texts.size() == count && remote.texts.size() == count);
			assertThat(alpha.topics().localSubscribers("ticker")).isEqualTo(1);
			slow.requestUnbounded();
			await().atMost(Duration.ofSeconds(10)).until(() -> slow.error != null);
			assertThat(slow.error).isInstanceOf(TopicOverflowException.class);
			assertThat(slow.texts).hasSizeLessThan(count).startsWith("tick-0", "tick-1");
		}
		finally {
			fast.dispose();
			remote.dispose();
			slow.dispose();
		}
	}

	/** What one subscriber on one node received. */
	private static final class Received {

		private final List<String> texts = new CopyOnWriteArrayList<>();

		private final List<byte[]> binary = new CopyOnWriteArrayList<>();

		private final List<String> nodes = new CopyOnWriteArrayList<>();

		private final Disposable subscription;

		Received(ClusterTestNode node, String topic) {
			Flux<TopicMessage> messages = node.topics().subscribe(topic);
			this.subscription = messages.subscribe((message) -> {
				this.nodes.add(message.nodeId());
				if (message.binary()) {
					this.binary.add(message.payload());
				}
				else {
					this.texts.add(message.text());
				}
			});
		}

		void dispose() {
			this.subscription.dispose();
		}

	}

	/** Takes one message, then nothing until told to. */
	private static final class SlowSubscriber extends BaseSubscriber<TopicMessage> {

		private final List<String> texts = new CopyOnWriteArrayList<>();

		private volatile Throwable error;

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(1);
		}

		@Override
		protected void hookOnNext(TopicMessage message) {
			this.texts.add(message.text());
		}

		@Override
		protected void hookOnError(Throwable throwable) {
			this.error = throwable;
		}

	}

}
