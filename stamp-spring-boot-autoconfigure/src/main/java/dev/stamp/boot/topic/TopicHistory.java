package dev.stamp.boot.topic;

import java.util.List;

/**
 * What a topic's history holds after an offset.
 *
 * @param topic the topic
 * @param messages the messages after the offset still in the history, oldest first, each
 * with its offset
 * @param complete {@code true} when these are all the messages published after the
 * offset; {@code false} when the history no longer reaches back that far (older messages
 * were trimmed by {@code stamp.cluster.history.size}, or the history expired after
 * {@code stamp.cluster.history.ttl}) and some were lost
 */
public record TopicHistory(String topic, List<TopicMessage> messages, boolean complete) {

	/**
	 * Creates a history, copying the messages.
	 * @param topic the topic
	 * @param messages the messages after the offset
	 * @param complete whether no message after the offset was lost
	 */
	public TopicHistory {
		messages = List.copyOf(messages);
	}

}
