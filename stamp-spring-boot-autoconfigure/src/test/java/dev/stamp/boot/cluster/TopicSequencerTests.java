package dev.stamp.boot.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicOffsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TopicSequencer} on virtual time, with the history as a map: what is delivered at
 * once, what waits for its predecessor, and what is read from the history when the
 * predecessor does not come.
 */
class TopicSequencerTests {

	private static final Duration HOLD = Duration.ofMillis(75);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	/** The history: offset to message, per topic "news" only. */
	private final NavigableMap<String, TopicMessage> stream = new TreeMap<>(TopicOffsets::compare);

	private final List<String> reads = new CopyOnWriteArrayList<>();

	/** Offsets in the order they were delivered, "=" marking those read from history. */
	private final List<String> delivered = new CopyOnWriteArrayList<>();

	private final Consumer<TopicMessage> live = (message) -> this.delivered.add(message.offset());

	private TopicSequencer.GapReader reader = (topic, after, before, count) -> {
		this.reads.add(after + ".." + before);
		return Mono.just(new ArrayList<>(this.stream.subMap(after, false, before, false).values()).subList(0,
				Math.min(count, this.stream.subMap(after, false, before, false).size())));
	};

	private TopicSequencer sequencer = sequencer(16, 16);

	@AfterEach
	void stopTime() {
		this.time.dispose();
	}

	@Test
	void deliversMessagesThatFollowTheirPredecessorAtOnce() {
		offer("1-0", "0-9");
		offer("1-1", "1-0");
		offer("1-2", "1-1");
		assertThat(this.delivered).containsExactly("1-0", "1-1", "1-2");
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(this.reads).isEmpty();
	}

	@Test
	void holdsAMessageThatCameBeforeItsPredecessorUntilTheyAreInOrder() {
		offer("1-0", "0-9");
		offer("1-2", "1-1");
		offer("1-3", "1-2");
		assertThat(this.delivered).containsExactly("1-0");
		this.time.advanceTimeBy(HOLD.minusMillis(1));
		offer("1-1", "1-0");
		assertThat(this.delivered).containsExactly("1-0", "1-1", "1-2", "1-3");
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(this.reads).isEmpty();
	}

	@Test
	void dropsDuplicates() {
		offer("1-0", "0-9");
		offer("1-1", "1-0");
		offer("1-1", "1-0");
		offer("1-0", "0-9");
		offer("1-2", "1-1");
		assertThat(this.delivered).containsExactly("1-0", "1-1", "1-2");
	}

	@Test
	void readsAMissingPredecessorFromTheHistoryOnceTheHoldTimeIsOver() {
		history("1-0", "1-1", "1-2", "1-3");
		offer("1-0", "0-9");
		offer("1-3", "1-2");
		this.time.advanceTimeBy(HOLD.minusMillis(1));
		assertThat(this.reads).isEmpty();
		assertThat(this.delivered).containsExactly("1-0");
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.reads).containsExactly("1-0..1-3");
		assertThat(this.delivered).containsExactly("1-0", "=1-1", "=1-2", "1-3");
		// The missing ones turn up late: already delivered.
		offer("1-1", "1-0");
		offer("1-2", "1-1");
		offer("1-4", "1-3");
		assertThat(this.delivered).containsExactly("1-0", "=1-1", "=1-2", "1-3", "1-4");
	}

	@Test
	void skipsAGapTheHistoryNoLongerHas() {
		history("1-3", "1-5");
		offer("1-0", "0-9");
		offer("1-3", "1-2");
		offer("1-5", "1-4");
		this.time.advanceTimeBy(HOLD);
		assertThat(this.reads).containsExactly("1-0..1-5");
		assertThat(this.delivered).containsExactly("1-0", "1-3", "1-5");
		offer("1-6", "1-5");
		assertThat(this.delivered).containsExactly("1-0", "1-3", "1-5", "1-6");
	}

	@Test
	void skipsTheGapWhenTheHistoryFailsOrDoesNotAnswer() {
		this.reader = (topic, after, before, count) -> {
			this.reads.add(after + ".." + before);
			return (this.reads.size() == 1) ? Mono.error(new IllegalStateException("Redis is away")) : Mono.never();
		};
		this.sequencer = sequencer(16, 16);
		offer("1-0", "0-9");
		offer("1-2", "1-1");
		this.time.advanceTimeBy(HOLD);
		assertThat(this.delivered).containsExactly("1-0", "1-2");
		offer("1-4", "1-3");
		this.time.advanceTimeBy(HOLD);
		assertThat(this.reads).hasSize(2);
		assertThat(this.delivered).containsExactly("1-0", "1-2");
		this.time.advanceTimeBy(READ_TIMEOUT);
		assertThat(this.delivered).containsExactly("1-0", "1-2", "1-4");
	}

	@Test
	void keepsTheOrderOfMessagesThatArriveWhileTheHistoryIsRead() {
		Sinks.One<List<TopicMessage>> answer = Sinks.one();
		this.reader = (topic, after, before, count) -> {
			this.reads.add(after + ".." + before);
			return (this.reads.size() == 1) ? answer.asMono() : Mono.just(List.of(message("1-5")));
		};
		this.sequencer = sequencer(16, 16);
		offer("1-0", "0-9");
		offer("1-3", "1-2");
		this.time.advanceTimeBy(HOLD);
		offer("1-4", "1-3");
		offer("1-6", "1-5");
		offer("1-2", "1-1");
		assertThat(this.delivered).containsExactly("1-0");
		answer.tryEmitValue(List.of(message("1-1"), message("1-2")));
		assertThat(this.delivered).containsExactly("1-0", "=1-1", "1-2", "1-3", "1-4");
		this.time.advanceTimeBy(HOLD);
		assertThat(this.reads).containsExactly("1-0..1-3", "1-4..1-6");
		assertThat(this.delivered).containsExactly("1-0", "=1-1", "1-2", "1-3", "1-4", "=1-5", "1-6");
	}

	@Test
	void readsALongGapPageByPage() {
		this.sequencer = sequencer(2, 16);
		history("1-1", "1-2", "1-3", "1-4", "1-5");
		offer("1-0", "0-9");
		offer("1-6", "1-5");
		this.time.advanceTimeBy(HOLD);
		assertThat(this.reads).containsExactly("1-0..1-6", "1-2..1-6", "1-4..1-6");
		assertThat(this.delivered).containsExactly("1-0", "=1-1", "=1-2", "=1-3", "=1-4", "=1-5", "1-6");
	}

	@Test
	void aFullPageThatClosesTheGapIsTheLastRead() {
		this.sequencer = sequencer(2, 16);
		history("1-1", "1-2");
		offer("1-0", "0-9");
		offer("1-3", "1-2");
		this.time.advanceTimeBy(HOLD);
		assertThat(this.reads).containsExactly("1-0..1-3");
		assertThat(this.delivered).containsExactly("1-0", "=1-1", "=1-2", "1-3");
	}

	@Test
	void aMessageWithoutAKnownPredecessorFollowsWhatIsHeld() {
		offer("1-0", "0-9");
		offer("1-3", "1-2");
		offer("2-0", null);
		offer("2-1", "2-0");
		assertThat(this.delivered).containsExactly("1-0", "1-3", "2-0", "2-1");
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(this.reads).isEmpty();
	}

	@Test
	void aMessageWithoutAnOffsetIsDeliveredAtOnce() {
		offer("1-0", "0-9");
		offer("1-2", "1-1");
		this.sequencer.deliver(new TopicMessage("news", new byte[0], false, "node"), null,
				(message) -> this.delivered.add("none"));
		assertThat(this.delivered).containsExactly("1-0", "none");
	}

	@Test
	void aMessageFromBeforeTheTopicWasFollowedIsLateRatherThanLost() {
		offer("1-5", "1-4");
		offer("1-4", "1-3");
		offer("1-6", "1-5");
		assertThat(this.delivered).containsExactly("1-5", "1-4", "1-6");
	}

	@Test
	void holdsABoundedNumberOfMessagesPerTopic() {
		this.sequencer = sequencer(3, 16);
		offer("1-0", "0-9");
		offer("1-2", "1-1");
		offer("1-4", "1-3");
		offer("1-6", "1-5");
		assertThat(this.delivered).containsExactly("1-0");
		offer("1-8", "1-7");
		assertThat(this.delivered).containsExactly("1-0", "1-2", "1-4", "1-6", "1-8");
		offer("1-9", "1-8");
		assertThat(this.delivered).containsExactly("1-0", "1-2", "1-4", "1-6", "1-8", "1-9");
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		assertThat(this.reads).isEmpty();
	}

	@Test
	void forgetsTheLeastRecentlyUsedTopicAfterDeliveringWhatItHeld() {
		this.sequencer = sequencer(16, 2);
		List<String> other = new CopyOnWriteArrayList<>();
		offer("1-0", "0-9");
		offer("1-2", "1-1");
		this.sequencer.deliver(message("sports", "5-0"), "4-9", (message) -> other.add(message.offset()));
		assertThat(this.sequencer.followedTopics()).isEqualTo(2);
		this.sequencer.deliver(message("weather", "7-0"), "6-9", (message) -> other.add(message.offset()));
		assertThat(this.sequencer.followedTopics()).isEqualTo(2);
		assertThat(this.delivered).containsExactly("1-0", "1-2");
		assertThat(other).containsExactly("5-0", "7-0");
		// Followed afresh: its first message is delivered at once.
		offer("1-9", "1-8");
		assertThat(this.delivered).containsExactly("1-0", "1-2", "1-9");
	}

	@Test
	void closingDeliversWhatIsHeld() {
		offer("1-0", "0-9");
		offer("1-2", "1-1");
		this.sequencer.close();
		assertThat(this.delivered).containsExactly("1-0", "1-2");
		assertThat(this.sequencer.followedTopics()).isZero();
	}

	private TopicSequencer sequencer(int maxHeld, int maxTopics) {
		return new TopicSequencer((topic, after, before, count) -> this.reader.read(topic, after, before, count),
				(message) -> this.delivered.add("=" + message.offset()), HOLD, READ_TIMEOUT, maxHeld, maxTopics,
				this.time);
	}

	private void offer(String offset, @Nullable String previous) {
		this.sequencer.deliver(message(offset), previous, this.live);
	}

	private void history(String... offsets) {
		for (String offset : offsets) {
			this.stream.put(offset, message(offset));
		}
	}

	private static TopicMessage message(String offset) {
		return message("news", offset);
	}

	private static TopicMessage message(String topic, String offset) {
		return new TopicMessage(topic, offset.getBytes(StandardCharsets.UTF_8), false, "node").withOffset(offset);
	}

}
