package dev.stamp.boot.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.stamp.boot.topic.TopicMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis wire form of topic messages, with and without an offset.
 */
class TopicMessageCodecTests {

	@Test
	void aMessageWithoutAnOffsetKeepsVersionOne() {
		byte[] encoded = TopicMessageCodec.encode("node-1", false, "hello".getBytes(StandardCharsets.UTF_8));
		assertThat(encoded[0]).isEqualTo((byte) 1);
		TopicMessage decoded = TopicMessageCodec.decode("news", encoded);
		assertThat(decoded.text()).isEqualTo("hello");
		assertThat(decoded.nodeId()).isEqualTo("node-1");
		assertThat(decoded.offset()).isNull();
	}

	@Test
	void aMessageWithAnOffsetIsVersionTwoAndCarriesIt() {
		byte[] encoded = TopicMessageCodec.encode("node-1", true, "1733110000000-5", new byte[] { 0, 1, 2 });
		assertThat(encoded[0]).isEqualTo((byte) 2);
		TopicMessage decoded = TopicMessageCodec.decode("news", encoded);
		assertThat(decoded.payload()).containsExactly(0, 1, 2);
		assertThat(decoded.binary()).isTrue();
		assertThat(decoded.nodeId()).isEqualTo("node-1");
		assertThat(decoded.offset()).isEqualTo("1733110000000-5");
	}

	@Test
	void truncatedOrUnknownMessagesAreIgnored() {
		byte[] encoded = TopicMessageCodec.encode("node-1", false, "1733110000000-5", new byte[0]);
		byte[] truncated = Arrays.copyOf(encoded, encoded.length - 3);
		assertThat(TopicMessageCodec.decode("news", truncated)).isNull();
		encoded[0] = 4;
		assertThat(TopicMessageCodec.decode("news", encoded)).isNull();
	}

	@Test
	void aMessageWithItsPredecessorIsVersionThree() {
		byte[] encoded = TopicMessageCodec.encode("node-1", false, "1733110000000-5", "1733110000000-4",
				"hello".getBytes(StandardCharsets.UTF_8));
		assertThat(encoded[0]).isEqualTo((byte) 3);
		TopicMessageCodec.Decoded decoded = TopicMessageCodec.decodeWithPrevious("news", encoded);
		assertThat(decoded.message().text()).isEqualTo("hello");
		assertThat(decoded.message().nodeId()).isEqualTo("node-1");
		assertThat(decoded.message().offset()).isEqualTo("1733110000000-5");
		assertThat(decoded.previousOffset()).isEqualTo("1733110000000-4");
		assertThat(TopicMessageCodec.decode("news", encoded).offset()).isEqualTo("1733110000000-5");
	}

	@Test
	void theFirstMessageOfAStreamHasNoPredecessor() {
		byte[] encoded = TopicMessageCodec.encode("node-1", true, "1733110000000-0", null, new byte[] { 7 });
		TopicMessageCodec.Decoded decoded = TopicMessageCodec.decodeWithPrevious("news", encoded);
		assertThat(decoded.message().payload()).containsExactly(7);
		assertThat(decoded.message().binary()).isTrue();
		assertThat(decoded.previousOffset()).isNull();
	}

	@Test
	void olderVersionsDecodeWithoutAPredecessor() {
		TopicMessageCodec.Decoded withOffset = TopicMessageCodec.decodeWithPrevious("news",
				TopicMessageCodec.encode("node-1", false, "1733110000000-5", new byte[0]));
		assertThat(withOffset.message().offset()).isEqualTo("1733110000000-5");
		assertThat(withOffset.previousOffset()).isNull();
		TopicMessageCodec.Decoded withoutOffset = TopicMessageCodec.decodeWithPrevious("news",
				TopicMessageCodec.encode("node-1", false, new byte[0]));
		assertThat(withoutOffset.message().offset()).isNull();
		assertThat(withoutOffset.previousOffset()).isNull();
	}

	@Test
	void aTruncatedPredecessorIsIgnored() {
		byte[] encoded = TopicMessageCodec.encode("node-1", false, "1733110000000-5", "1733110000000-4", new byte[0]);
		assertThat(TopicMessageCodec.decodeWithPrevious("news", Arrays.copyOf(encoded, encoded.length - 2))).isNull();
	}

}
