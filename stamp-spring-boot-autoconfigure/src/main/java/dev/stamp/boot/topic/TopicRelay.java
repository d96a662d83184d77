package dev.stamp.boot.topic;

import java.util.function.Consumer;

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

}
