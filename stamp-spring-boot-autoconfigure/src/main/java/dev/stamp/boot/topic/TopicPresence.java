package dev.stamp.boot.topic;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Records who is joined to each topic across the nodes of a cluster; without one,
 * {@link StampTopics} answers presence from this node's members. Implementations never
 * block: {@link #join} and {@link #leave} take effect in the background.
 */
public interface TopicPresence {

	/**
	 * Records a member of this node as joined to the topic.
	 * @param topic the topic
	 * @param memberId the member's id
	 */
	void join(String topic, String memberId);

	/**
	 * Records that a member of this node left the topic.
	 * @param topic the topic
	 * @param memberId the member's id
	 */
	void leave(String topic, String memberId);

	/**
	 * The topic's members on every live node.
	 * @param topic the topic
	 * @return the members, sorted by node and member id
	 */
	Mono<List<JoinedMember>> members(String topic);

}
