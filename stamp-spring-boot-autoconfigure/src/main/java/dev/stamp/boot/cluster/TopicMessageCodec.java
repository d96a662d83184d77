package dev.stamp.boot.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import dev.stamp.boot.topic.TopicMessage;

/**
 * The form of a {@link TopicMessage} on a Redis channel: a version byte, a flags byte
 * (bit 0: binary), the publishing node's id (length-prefixed UTF-8), in version 2 the
 * message's history offset (one length byte, then ASCII), and the payload. The topic
 * travels as the channel name. A message of an unknown version is ignored, so that nodes
 * of different versions can share a Redis during a rolling upgrade: a node that knows
 * only version 1 ignores the messages of topics with history.
 */
final class TopicMessageCodec {

	private static final byte VERSION = 1;

	private static final byte VERSION_WITH_OFFSET = 2;

	private static final byte BINARY = 1;

	private TopicMessageCodec() {
	}

	/**
	 * Encodes a message without an offset.
	 * @param nodeId the publishing node
	 * @param binary whether the payload was published as bytes
	 * @param payload the payload
	 * @return the version 1 form
	 */
	static byte[] encode(String nodeId, boolean binary, byte[] payload) {
		byte[] header = header(VERSION, nodeId, binary);
		return ByteBuffer.allocate(header.length + payload.length).put(header).put(payload).array();
	}

	/**
	 * The start of a version 2 message, up to the offset, which the history's publish
	 * script appends once Redis assigned it: one length byte, the offset, then the
	 * payload.
	 * @param nodeId the publishing node
	 * @param binary whether the payload was published as bytes
	 * @return the version, flags and node id of a message with an offset
	 */
	static byte[] headerWithOffset(String nodeId, boolean binary) {
		return header(VERSION_WITH_OFFSET, nodeId, binary);
	}

	/**
	 * Encodes a message with an offset, as the publish script does.
	 * @param nodeId the publishing node
	 * @param binary whether the payload was published as bytes
	 * @param offset the history offset
	 * @param payload the payload
	 * @return the version 2 form
	 */
	static byte[] encode(String nodeId, boolean binary, String offset, byte[] payload) {
		byte[] header = headerWithOffset(nodeId, binary);
		byte[] id = offset.getBytes(StandardCharsets.US_ASCII);
		return ByteBuffer.allocate(header.length + 1 + id.length + payload.length)
			.put(header)
			.put((byte) id.length)
			.put(id)
			.put(payload)
			.array();
	}

	private static byte[] header(byte version, String nodeId, boolean binary) {
		byte[] node = nodeId.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(4 + node.length)
			.put(version)
			.put(binary ? BINARY : 0)
			.putShort((short) node.length)
			.put(node)
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
		if (bytes.length < 4 || (bytes[0] != VERSION && bytes[0] != VERSION_WITH_OFFSET)) {
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
		buffer.position(4 + nodeLength);
		String offset = null;
		if (bytes[0] == VERSION_WITH_OFFSET) {
			if (!buffer.hasRemaining()) {
				return null;
			}
			int offsetLength = Byte.toUnsignedInt(buffer.get());
			if (offsetLength > buffer.remaining()) {
				return null;
			}
			offset = new String(bytes, buffer.position(), offsetLength, StandardCharsets.US_ASCII);
			buffer.position(buffer.position() + offsetLength);
		}
		byte[] payload = new byte[buffer.remaining()];
		buffer.get(payload);
		TopicMessage message = new TopicMessage(topic, payload, binary, nodeId);
		return (offset != null) ? message.withOffset(offset) : message;
	}

}
