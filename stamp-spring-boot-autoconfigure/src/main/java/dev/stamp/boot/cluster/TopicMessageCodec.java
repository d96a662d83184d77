package dev.stamp.boot.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import dev.stamp.boot.topic.TopicMessage;

/**
 * The form of a {@link TopicMessage} on a Redis channel: a version byte, a flags byte
 * (bit 0: binary), the publishing node's id (length-prefixed UTF-8) and the payload. The
 * topic travels as the channel name. A message of an unknown version is ignored, so that
 * nodes of different versions can share a Redis during a rolling upgrade.
 */
final class TopicMessageCodec {

	private static final byte VERSION = 1;

	private static final byte BINARY = 1;

	private TopicMessageCodec() {
	}

	static byte[] encode(String nodeId, boolean binary, byte[] payload) {
		byte[] node = nodeId.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(4 + node.length + payload.length)
			.put(VERSION)
			.put(binary ? BINARY : 0)
			.putShort((short) node.length)
			.put(node)
			.put(payload)
			.array();
	}

	/**
	 * Decodes a message received on a topic channel.
	 * @param topic the topic the bytes were received on
	 * @param bytes the encoded message
	 * @return the message, or {@code null} when the bytes are not a message this node
	 * reads
	 */
	static @Nullable TopicMessage decode(String topic, byte[] bytes) {
		if (bytes.length < 4 || bytes[0] != VERSION) {
			return null;
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		buffer.position(1);
		boolean binary = (buffer.get() & BINARY) != 0;
		int nodeLength = Short.toUnsignedInt(buffer.getShort());
		if (nodeLength > buffer.remaining()) {
			return null;
		}
		String nodeId = new String(bytes, 4, nodeLength, StandardCharsets.UTF_8);
		byte[] payload = new byte[buffer.remaining() - nodeLength];
		buffer.position(4 + nodeLength);
		buffer.get(payload);
		return new TopicMessage(topic, payload, binary, nodeId);
	}

}
