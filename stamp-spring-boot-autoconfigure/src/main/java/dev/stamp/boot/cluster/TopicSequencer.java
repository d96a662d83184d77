package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicOffsets;

/**
 * Delivers each topic's messages on this node in the order of their history offsets,
 * whether they come from this node's publish script or from the channel: two Redis
 * connections, which can bring a later offset first.
 * <p>
 * Every message with an offset names its predecessor, the stream's entry before it
 * (publish scripts are atomic, so the offsets of all nodes form one chain per topic). A
 * message is delivered when its predecessor is the last offset delivered on the topic,
 * when nothing was delivered yet, or when it has no known predecessor (its stream was
 * created by it, or an older node sent it); a message at or before the last delivered
 * offset is a duplicate and dropped. One whose predecessor is still missing is held; when
 * the chain does not move for the hold time, the missing entries are read from the
 * history and delivered in order with the held ones. Those the history no longer has
 * (trimmed), or cannot give (Redis failing), are skipped. Nothing here blocks: the hold
 * is a timer and the read a reactive call with a timeout.
 * <p>
 * Bounded: at most {@code maxHeldPerTopic} messages are held per topic (one more delivers
 * them all at once, skipping the gap) and {@code maxTopics} topics are followed; the
 * least recently used one is forgotten, after delivering what it held.
 */
final class TopicSequencer {

	private static final Log logger = LogFactory.getLog(TopicSequencer.class);

	/** How long a message waits for its predecessor before the history is read. */
	static final Duration HOLD_TIME = Duration.ofMillis(75);

	static final int MAX_HELD_PER_TOPIC = 4096;

	static final int MAX_TOPICS = 10_000;

	private final GapReader gapReader;

	private final Consumer<TopicMessage> filledDelivery;

	private final Duration holdTime;

	private final Duration readTimeout;

	private final int maxHeldPerTopic;

	private final int maxTopics;

	private final Scheduler scheduler;

	/** Followed topics, least recently used first; guarded by itself. */
	private final LinkedHashMap<String, TopicState> topics = new LinkedHashMap<>(16, 0.75f, true);

	/**
	 * Creates a sequencer.
	 * @param gapReader reads missing entries from the history
	 * @param filledDelivery delivers the entries read from the history
	 * @param holdTime how long the chain may stand still before the history is read
	 * @param readTimeout how long a history read may take
	 * @param maxHeldPerTopic messages held per topic at most
	 * @param maxTopics topics followed at most
	 * @param scheduler runs the hold timers
	 */
	TopicSequencer(GapReader gapReader, Consumer<TopicMessage> filledDelivery, Duration holdTime, Duration readTimeout,
			int maxHeldPerTopic, int maxTopics, Scheduler scheduler) {
		this.gapReader = gapReader;
		this.filledDelivery = filledDelivery;
		this.holdTime = holdTime;
		this.readTimeout = readTimeout;
		this.maxHeldPerTopic = maxHeldPerTopic;
		this.maxTopics = maxTopics;
		this.scheduler = scheduler;
	}

	/**
	 * Delivers a message in its topic's offset order: now, later, or never if it is a
	 * duplicate. A message without an offset is delivered at once.
	 * @param message the message
	 * @param previousOffset the offset of the entry before it in its topic's history, or
	 * {@code null} when it has none or it is not known
	 * @param delivery delivers it to this node's subscribers
	 */
	void deliver(TopicMessage message, @Nullable String previousOffset, Consumer<TopicMessage> delivery) {
		String offset = message.offset();
		if (offset == null) {
			delivery.accept(message);
			return;
		}
		Pending pending = new Pending(message, offset, previousOffset, delivery);
		for (;;) {
			TopicState state = state(message.topic());
			synchronized (state) {
				if (!state.retired) {
					state.offer(pending);
					return;
				}
			}
		}
	}

	/** Delivers everything held, in order, and forgets every topic. */
	void close() {
		List<TopicState> all;
		synchronized (this.topics) {
			all = new ArrayList<>(this.topics.values());
			this.topics.clear();
		}
		all.forEach(TopicState::retire);
	}

	/**
	 * Topics followed now.
	 * @return the number of topics
	 */
	int followedTopics() {
		synchronized (this.topics) {
			return this.topics.size();
		}
	}

	private TopicState state(String topic) {
		TopicState state;
		TopicState forgotten = null;
		synchronized (this.topics) {
			state = this.topics.get(topic);
			if (state == null) {
				state = new TopicState(topic);
				this.topics.put(topic, state);
				if (this.topics.size() > this.maxTopics) {
					Iterator<TopicState> eldest = this.topics.values().iterator();
					forgotten = eldest.next();
					eldest.remove();
				}
			}
		}
		if (forgotten != null) {
			forgotten.retire();
		}
		return state;
	}

	private static int compare(String left, String right) {
		return TopicOffsets.compare(left, right);
	}

	// Whether nothing can come between the last delivered offset and a message.
	private static boolean follows(Pending pending, String last) {
		String previous = pending.previousOffset();
		return previous == null || compare(previous, last) <= 0;
	}

	/** Reads the entries of a topic's history between two offsets. */
	@FunctionalInterface
	interface GapReader {

		/**
		 * Reads entries of a topic's history.
		 * @param topic the topic
		 * @param afterOffset the entries after this offset (exclusive)
		 * @param beforeOffset and before this one (exclusive)
		 * @param count entries at most
		 * @return the entries, oldest first, with their offsets
		 */
		Mono<List<TopicMessage>> read(String topic, String afterOffset, String beforeOffset, int count);

	}

	/** A message waiting for its turn. */
	private record Pending(TopicMessage message, String offset, @Nullable String previousOffset,
			Consumer<TopicMessage> delivery) {
	}

	/** One topic's place in its chain; guarded by itself. */
	private final class TopicState {

		private final String topic;

		/** The first offset delivered since the topic is followed. */
		private @Nullable String first;

		private @Nullable String last;

		private final TreeMap<String, Pending> held = new TreeMap<>(TopicSequencer::compare);

		private @Nullable Disposable holdTimer;

		/** Tells the current hold timer from one cancelled while it fired. */
		private long holdTimers;

		private boolean reading;

		private boolean retired;

		TopicState(String topic) {
			this.topic = topic;
		}

		void offer(Pending pending) {
			String last = this.last;
			if (last == null) {
				deliver(pending);
			}
			else if (compare(pending.offset(), last) <= 0) {
				if (this.first != null && compare(pending.offset(), this.first) < 0) {
					// Published before this node followed the topic, so never delivered
					// here: late rather than lost.
					pending.delivery().accept(pending.message());
				}
				return;
			}
			else if (pending.previousOffset() == null) {
				// No known predecessor: what is held came before it.
				deliverHeldUpTo(pending.offset());
				if (compare(pending.offset(), this.last) > 0) {
					deliver(pending);
				}
			}
			else if (follows(pending, last)) {
				deliver(pending);
			}
			else {
				this.held.putIfAbsent(pending.offset(), pending);
				if (this.held.size() > TopicSequencer.this.maxHeldPerTopic) {
					logger.debug("Too many messages wait for a gap on topic '" + this.topic + "': skipping it");
					deliverHeldUpTo(this.held.lastKey());
				}
			}
			advance();
		}

		/** Delivers what the chain allows now, then watches the next gap. */
		private void advance() {
			boolean moved = false;
			while (!this.held.isEmpty()) {
				Pending next = this.held.firstEntry().getValue();
				String last = this.last;
				if (last != null && compare(next.offset(), last) <= 0) {
					this.held.pollFirstEntry();
				}
				else if (last == null || follows(next, last)) {
					this.held.pollFirstEntry();
					deliver(next);
					moved = true;
				}
				else {
					break;
				}
			}
			if (this.held.isEmpty() || moved) {
				cancelHoldTimer();
			}
			if (!this.held.isEmpty() && this.holdTimer == null && !this.reading) {
				long timer = ++this.holdTimers;
				this.holdTimer = Mono.delay(TopicSequencer.this.holdTime, TopicSequencer.this.scheduler)
					.subscribe((tick) -> holdExpired(timer));
			}
		}

		private void holdExpired(long timer) {
			String after;
			String before;
			synchronized (this) {
				if (timer != this.holdTimers || this.holdTimer == null) {
					return;
				}
				this.holdTimer = null;
				if (this.retired || this.held.isEmpty() || this.reading || this.last == null) {
					return;
				}
				this.reading = true;
				after = this.last;
				before = this.held.lastKey();
			}
			read(after, before);
		}

		private void read(String after, String before) {
			int count = TopicSequencer.this.maxHeldPerTopic;
			Mono.defer(() -> TopicSequencer.this.gapReader.read(this.topic, after, before, count))
				.timeout(TopicSequencer.this.readTimeout, TopicSequencer.this.scheduler)
				.subscribe((entries) -> filled(before, entries, entries.size() >= count), (ex) -> {
					logger.debug("Could not read the gap of topic '" + this.topic + "' from the history: "
							+ ex.getMessage());
					filled(before, List.of(), false);
				});
		}

		private void filled(String before, List<TopicMessage> entries, boolean more) {
			String again;
			String next = before;
			synchronized (this) {
				this.reading = false;
				if (this.retired) {
					return;
				}
				// A full page ends where it ends: the rest is read next.
				String upTo = (more) ? entries.get(entries.size() - 1).offset() : before;
				TreeMap<String, Pending> merged = new TreeMap<>(TopicSequencer::compare);
				for (TopicMessage entry : entries) {
					String offset = entry.offset();
					if (offset != null) {
						merged.put(offset, new Pending(entry, offset, null, TopicSequencer.this.filledDelivery));
					}
				}
				while (!this.held.isEmpty() && upTo != null && compare(this.held.firstKey(), upTo) <= 0) {
					Pending own = this.held.pollFirstEntry().getValue();
					merged.put(own.offset(), own);
				}
				for (Pending pending : merged.values()) {
					if (this.last == null || compare(pending.offset(), this.last) > 0) {
						deliver(pending);
					}
				}
				// The next page, unless this one joined the chain to what is held.
				again = (more && !this.held.isEmpty() && this.last != null
						&& !follows(this.held.firstEntry().getValue(), this.last)) ? this.last : null;
				if (again != null) {
					this.reading = true;
					next = this.held.lastKey();
				}
				else {
					advance();
				}
			}
			if (again != null) {
				read(again, next);
			}
		}

		private void deliverHeldUpTo(String offset) {
			while (!this.held.isEmpty() && compare(this.held.firstKey(), offset) <= 0) {
				Pending next = this.held.pollFirstEntry().getValue();
				if (this.last == null || compare(next.offset(), this.last) > 0) {
					deliver(next);
				}
			}
		}

		private void deliver(Pending pending) {
			pending.delivery().accept(pending.message());
			this.last = pending.offset();
			if (this.first == null) {
				this.first = pending.offset();
			}
		}

		private void cancelHoldTimer() {
			Disposable timer = this.holdTimer;
			if (timer != null) {
				timer.dispose();
				this.holdTimer = null;
				this.holdTimers++;
			}
		}

		synchronized void retire() {
			this.retired = true;
			cancelHoldTimer();
			if (!this.held.isEmpty()) {
				deliverHeldUpTo(this.held.lastKey());
			}
		}

	}

}
