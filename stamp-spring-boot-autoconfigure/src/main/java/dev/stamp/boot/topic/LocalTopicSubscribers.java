package dev.stamp.boot.topic;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * This node's subscribers of each topic. Delivery never waits for a subscriber: each has
 * its own bounded buffer, and one that overflows it is removed at once and ends, after
 * what it had buffered, with a {@link TopicOverflowException}.
 */
final class LocalTopicSubscribers {

	private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();

	private final int bufferSize;

	LocalTopicSubscribers(int bufferSize) {
		this.bufferSize = bufferSize;
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

	void deliver(TopicMessage message) {
		Set<Subscriber> topicSubscribers = this.subscribers.get(message.topic());
		if (topicSubscribers == null) {
			return;
		}
		for (Subscriber subscriber : topicSubscribers) {
			if (!subscriber.offer(message)) {
				remove(subscriber);
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
