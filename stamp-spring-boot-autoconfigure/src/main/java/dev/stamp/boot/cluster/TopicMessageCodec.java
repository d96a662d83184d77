package dev.stamp.boot.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import dev.stamp.boot.topic.TopicMessage;

/**
 * The form of a {@link TopicMessage} on a Redis channel: a version byte, a flags byte
 * (bit 0: binary), the publishing node's id (length-prefixed UTF-8), in versions 2 and 3
 * the message's history offset (one length byte, then ASCII), in version 3 the offset of
 * the entry before it in the topic's history (likewise, empty when the message started
 * the stream), and the payload. The topic travels as the channel name. A message of an
 * unknown version is ignored, so that nodes of different versions can share a Redis
 * during a rolling upgrade: a node that knows only version 1 ignores the messages of
 * topics with history, one that knows only version 2 those that name their predecessor.
 */
final class TopicMessageCodec {

	private static final byte VERSION = 1;

	private static final byte VERSION_WITH_OFFSET = 2;

	private static final byte VERSION_WITH_PREVIOUS = 3;

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
	 * The start of a version 3 message, up to the offsets, which the history's publish
	 * script appends once Redis assigned them: one length byte, the offset, one length
	 * byte, the previous offset, then the payload.
	 * @param nodeId the publishing node
	 * @param binary whether the payload was published as bytes
	 * @return the version, flags and node id of a message with offsets
	 */
	static byte[] headerWithOffset(String nodeId, boolean binary) {
		return header(VERSION_WITH_PREVIOUS, nodeId, binary);
	}

	/**
	 * Encodes a message with an offset and its predecessor's, as the publish script does.
	 * @param nodeId the publishing node
	 * @param binary whether the payload was published as bytes
	 * @param offset the history offset
	 * @param previousOffset the offset of the entry before it, or {@code null} when the
	 * message started its stream
	 * @param payload the payload
	 * @return the version 3 form
	 */
	static byte[] encode(String nodeId, boolean binary, String offset, @Nullable String previousOffset,
			byte[] payload) {
		byte[] header = headerWithOffset(nodeId, binary);
		byte[] id = offset.getBytes(StandardCharsets.US_ASCII);
		byte[] previous = (previousOffset != null) ? previousOffset.getBytes(StandardCharsets.US_ASCII) : new byte[0];
		return ByteBuffer.allocate(header.length + 2 + id.length + previous.length + payload.length)
			.put(header)
			.put((byte) id.length)
			.put(id)
			.put((byte) previous.length)
			.put(previous)
			.put(payload)
			.array();
	}

	/**
	 * Encodes a message with an offset in version 2, as nodes that do not name the
	 * predecessor did.
	 * @param nodeId the publishing node
	 * @param binary whether the payload was published as bytes
	 * @param offset the history offset
	 * @param payload the payload
	 * @return the version 2 form
	 */
	static byte[] encode(String nodeId, boolean binary, String offset, byte[] payload) {
		byte[] header = header(VERSION_WITH_OFFSET, nodeId, binary);
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
		Decoded decoded = decodeWithPrevious(topic, bytes);
		return (decoded != null) ? decoded.message() : null;
	}

	/**
	 * Decodes a message received on a topic channel, with the offset of its predecessor
	 * in the topic's history when it names one.
	 * @param topic the topic the bytes were received on
	 * @param bytes the encoded message
	 * @return the message, or {@code null} when the bytes are not a message this node
	 * reads
	 */
	static @Nullable Decoded decodeWithPrevious(String topic, byte[] bytes) {
		byte version = (bytes.length > 0) ? bytes[0] : 0;
		if (bytes.length < 4
				|| (version != VERSION && version != VERSION_WITH_OFFSET && version != VERSION_WITH_PREVIOUS)) {
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
		String previousOffset = null;
		if (version != VERSION) {
			offset = offset(buffer);
			if (offset == null || offset.isEmpty()) {
				return null;
			}
		}
		if (version == VERSION_WITH_PREVIOUS) {
			previousOffset = offset(buffer);
			if (previousOffset == null) {
				return null;
			}
		}
		byte[] payload = new byte[buffer.remaining()];
		buffer.get(payload);
		TopicMessage message = new TopicMessage(topic, payload, binary, nodeId);
		return new Decoded((offset != null) ? message.withOffset(offset) : message,
				(previousOffset == null || previousOffset.isEmpty()) ? null : previousOffset);
	}

	// One length byte and that many ASCII bytes, or null when they are not all there.
	private static @Nullable String offset(ByteBuffer buffer) {
		if (!buffer.hasRemaining()) {
			return null;
		}
		int length = Byte.toUnsignedInt(buffer.get());
		if (length > buffer.remaining()) {
			return null;
		}
		String offset = new String(buffer.array(), buffer.position(), length, StandardCharsets.US_ASCII);
		buffer.position(buffer.position() + length);
		return offset;
	}

	/**
	 * A message as received, with what the sequencer needs of it.
	 *
	 * @param message the message
	 * @param previousOffset the offset of the entry before it in its topic's history, or
	 * {@code null} when it started the stream, has no offset, or came from a node that
	 * does not name it
	 */
	record Decoded(TopicMessage message, @Nullable String previousOffset) {
	}

}
