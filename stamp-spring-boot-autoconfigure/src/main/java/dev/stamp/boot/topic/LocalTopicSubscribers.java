package dev.stamp.boot.topic;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * This node's subscribers and members of each topic. Delivery never waits for either: a
 * subscriber has its own bounded buffer, and one that overflows it is removed at once and
 * ends, after what it had buffered, with a {@link TopicOverflowException}; a
 * {@link TopicMember} is written to directly, with no buffer here (a node may hold a
 * hundred thousand of them), and is removed when it says it no longer takes messages or
 * when its connection ends.
 */
final class LocalTopicSubscribers {

	private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();

	/**
	 * The members of each topic by member id; a topic is removed with its last member.
	 */
	private final Map<String, Map<String, TopicMember>> members = new ConcurrentHashMap<>();

	/**
	 * The topics of each member, so that its end leaves them all; the entry exists while
	 * the member is joined to a topic, and its close hook is registered when it appears.
	 */
	private final Map<TopicMember, Set<String>> memberTopics = new ConcurrentHashMap<>();

	private final int bufferSize;

	private final BiConsumer<String, TopicMember> left;

	/**
	 * Creates the subscribers of a node.
	 * @param bufferSize messages a subscriber may fall behind by
	 * @param left told of every member that leaves a topic, however it left
	 */
	LocalTopicSubscribers(int bufferSize, BiConsumer<String, TopicMember> left) {
		this.bufferSize = bufferSize;
		this.left = left;
	}

	Flux<TopicMessage> subscribe(String topic) {
		return Flux.defer(() -> subscribeNow(topic));
	}

	/**
	 * Subscribes at once rather than when the flux is subscribed to: what is delivered
	 * meanwhile waits in the subscriber's buffer. Subscribe to the flux, or subscribe and
	 * cancel, to let go of the subscriber.
	 * @param topic the topic
	 * @return the messages delivered from now on
	 */
	Flux<TopicMessage> subscribeNow(String topic) {
		Subscriber subscriber = new Subscriber(topic);
		this.subscribers.computeIfAbsent(topic, (key) -> new CopyOnWriteArraySet<>()).add(subscriber);
		return subscriber.sink.asFlux().doFinally((signal) -> remove(subscriber));
	}

	/**
	 * Joins a member to a topic; a member whose id already is in the topic is not joined
	 * again.
	 * @param topic the topic
	 * @param member the member
	 * @return whether the member joined
	 */
	boolean join(String topic, TopicMember member) {
		boolean[] added = new boolean[1];
		this.members.compute(topic, (key, topicMembers) -> {
			Map<String, TopicMember> joined = (topicMembers != null) ? topicMembers : new ConcurrentHashMap<>();
			added[0] = joined.putIfAbsent(member.id(), member) == null;
			return joined;
		});
		if (!added[0]) {
			return false;
		}
		boolean[] firstTopic = new boolean[1];
		this.memberTopics.compute(member, (key, topics) -> {
			Set<String> joined = (topics != null) ? topics : ConcurrentHashMap.newKeySet();
			firstTopic[0] = topics == null;
			joined.add(topic);
			return joined;
		});
		if (firstTopic[0]) {
			// At once if the connection already ended: then it leaves right away.
			member.whenClosed(() -> leaveAll(member));
		}
		return true;
	}

	/**
	 * Removes a member from a topic.
	 * @param topic the topic
	 * @param member the member
	 * @return whether it was joined
	 */
	boolean leave(String topic, TopicMember member) {
		boolean[] removed = new boolean[1];
		this.members.computeIfPresent(topic, (key, topicMembers) -> {
			removed[0] = topicMembers.remove(member.id(), member);
			return topicMembers.isEmpty() ? null : topicMembers;
		});
		if (removed[0]) {
			this.memberTopics.computeIfPresent(member, (key, topics) -> {
				topics.remove(topic);
				return topics.isEmpty() ? null : topics;
			});
			this.left.accept(topic, member);
		}
		return removed[0];
	}

	private void leaveAll(TopicMember member) {
		Set<String> topics = this.memberTopics.remove(member);
		if (topics != null) {
			topics.forEach((topic) -> leave(topic, member));
		}
	}

	/**
	 * The member of a topic with an id.
	 * @param topic the topic
	 * @param memberId the member's id
	 * @return the member, or {@code null} if none with that id is joined
	 */
	@Nullable TopicMember member(String topic, String memberId) {
		Map<String, TopicMember> topicMembers = this.members.get(topic);
		return (topicMembers != null) ? topicMembers.get(memberId) : null;
	}

	/**
	 * The members of a topic right now.
	 * @param topic the topic
	 * @return the members
	 */
	Collection<TopicMember> members(String topic) {
		Map<String, TopicMember> topicMembers = this.members.get(topic);
		return (topicMembers != null) ? List.copyOf(topicMembers.values()) : List.of();
	}

	void deliver(TopicMessage message) {
		Set<Subscriber> topicSubscribers = this.subscribers.get(message.topic());
		if (topicSubscribers != null) {
			for (Subscriber subscriber : topicSubscribers) {
				if (!subscriber.offer(message)) {
					remove(subscriber);
				}
			}
		}
		Map<String, TopicMember> topicMembers = this.members.get(message.topic());
		if (topicMembers != null) {
			for (TopicMember member : topicMembers.values()) {
				if (!member.deliver(message)) {
					leave(message.topic(), member);
				}
			}
		}
	}

	int count(String topic) {
		Set<Subscriber> topicSubscribers = this.subscribers.get(topic);
		return (topicSubscribers != null) ? topicSubscribers.size() : 0;
	}

	private void remove(Subscriber subscriber) {
		this.subscribers.computeIfPresent(subscriber.topic, (key, set) -> {
			set.remove(subscriber);
			return set.isEmpty() ? null : set;
		});
	}

	private final class Subscriber {

		private final String topic;

		private final Sinks.Many<TopicMessage> sink;

		Subscriber(String topic) {
			this.topic = topic;
			this.sink = Sinks.many()
				.unicast()
				.onBackpressureBuffer(Queues.<TopicMessage>get(LocalTopicSubscribers.this.bufferSize).get());
		}

		/**
		 * Offers a message to the subscriber, cutting it off when its buffer overflows.
		 * @param message the message to deliver
		 * @return whether the subscriber still takes messages
		 */
		synchronized boolean offer(TopicMessage message) {
			Sinks.EmitResult result = this.sink.tryEmitNext(message);
			if (result.isSuccess()) {
				return true;
			}
			if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
				this.sink.tryEmitError(new TopicOverflowException(this.topic, LocalTopicSubscribers.this.bufferSize));
			}
			return false;
		}

	}

}
