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
		encoded[0] = 3;
		assertThat(TopicMessageCodec.decode("news", encoded)).isNull();
	}

}
