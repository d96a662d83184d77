package dev.stamp.boot.topic;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * A message delivered on a topic, published on this node or on another one.
 *
 * @param topic the topic it was published on
 * @param payload the bytes as published (UTF-8 for text), shared by every subscriber of
 * this node: read them, do not change them
 * @param binary whether it was published as bytes rather than text
 * @param nodeId the node that published it
 * @param offset the message's position in the topic's history, or {@code null} when the
 * topic keeps no history
 */
public record TopicMessage(String topic, byte[] payload, boolean binary, String nodeId, @Nullable String offset) {

	/**
	 * A message without a history offset.
	 * @param topic the topic it was published on
	 * @param payload the bytes as published
	 * @param binary whether it was published as bytes
	 * @param nodeId the node that published it
	 */
	public TopicMessage(String topic, byte[] payload, boolean binary, String nodeId) {
		this(topic, payload, binary, nodeId, null);
	}

	/**
	 * The payload as text, decoded as UTF-8.
	 * @return the text
	 */
	public String text() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

	/**
	 * This message at a position of its topic's history.
	 * @param offset the offset
	 * @return a copy with the offset
	 */
	public TopicMessage withOffset(String offset) {
		return new TopicMessage(this.topic, this.payload, this.binary, this.nodeId, offset);
	}

}
