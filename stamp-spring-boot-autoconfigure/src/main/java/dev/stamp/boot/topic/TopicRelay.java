package dev.stamp.boot.topic;

import java.util.function.Consumer;

import reactor.core.publisher.Mono;

/**
 * Carries topic messages between this node and the other nodes of a cluster; without one,
 * {@link StampTopics} is local to the node. Implementations never block the publisher and
 * count what they could not send.
 */
public interface TopicRelay {

	/**
	 * Hands a message published on this node to the other nodes, and delivers it to this
	 * node's subscribers through {@code localDelivery}, exactly once, in publish order. A
	 * relay that assigns history offsets delivers locally once the offset is known.
	 * @param message the message published on this node
	 * @param localDelivery delivers to this node's subscribers
	 */
	void publish(TopicMessage message, Consumer<TopicMessage> localDelivery);

	/**
	 * This node's id in the cluster, carried by the messages it publishes.
	 * @return the node id
	 */
	String nodeId();

	/**
	 * Sets where messages from other nodes go; called once, before the relay starts.
	 * @param remoteDelivery delivers to this node's subscribers
	 */
	void onRemoteMessage(Consumer<TopicMessage> remoteDelivery);

	/**
	 * Messages from other nodes received so far.
	 * @return the number of messages received
	 */
	long receivedMessages();

	/**
	 * Publishes that did not reach the other nodes.
	 * @return the number of dropped publishes
	 */
	long droppedPublishes();

	/**
	 * Whether this node currently receives the other nodes' publishes.
	 * @return {@code true} while connected to the other nodes
	 */
	boolean isReceivingRemote();

	/**
	 * Whether this relay keeps a history of each topic, so that messages carry offsets.
	 * @return {@code true} when {@link #history(String, String)} answers
	 */
	default boolean keepsHistory() {
		return false;
	}

	/**
	 * The messages of a topic's history after an offset.
	 * @param topic the topic
	 * @param afterOffset the offset of the last message the caller has
	 * @return the messages after it, and whether they are all that was published since
	 */
	default Mono<TopicHistory> history(String topic, String afterOffset) {
		return Mono.error(new UnsupportedOperationException("This relay keeps no topic history"));
	}

	/**
	 * The offset of a topic's latest message in its history.
	 * @param topic the topic
	 * @return the offset, or empty when the topic has no history (nothing published
	 * within the history's time to live)
	 */
	default Mono<String> latestOffset(String topic) {
		return Mono.error(new UnsupportedOperationException("This relay keeps no topic history"));
	}

}
