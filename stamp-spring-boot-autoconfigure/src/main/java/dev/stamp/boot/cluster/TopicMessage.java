package dev.stamp.boot.cluster;

import java.nio.charset.StandardCharsets;

/**
 * A message delivered on a topic, published on this node or on another one.
 *
 * @param topic the topic it was published on
 * @param payload the bytes as published (UTF-8 for text), shared by every subscriber of
 * this node: read them, do not change them
 * @param binary whether it was published as bytes rather than text
 * @param nodeId the node that published it
 */
public record TopicMessage(String topic, byte[] payload, boolean binary, String nodeId) {

	/** The payload as text, decoded as UTF-8. */
	public String text() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

}
