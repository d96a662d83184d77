package dev.stamp.boot.websocket;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.stamp.boot.topic.TopicCatchUp;
import dev.stamp.boot.topic.TopicMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON envelopes of {@code stamp.topics.v1} clients.
 */
class TopicEnvelopeTests {

	@Test
	void textIsEscapedAndCarriesItsOffset() {
		TopicMessage message = new TopicMessage("websocket:/chat",
				"say \"hi\"\\\n\u0001".getBytes(StandardCharsets.UTF_8), false, "a", "17-5");
		assertThat(TopicEnvelope.message(message))
			.isEqualTo("{\"topic\":\"websocket:/chat\",\"offset\":\"17-5\",\"text\":\"say \\\"hi\\\"\\\\\\n\\u0001\"}");
	}

	@Test
	void bytesAreBase64AndNoOffsetWithoutHistory() {
		TopicMessage message = new TopicMessage("t", new byte[] { 0, 1, 2 }, true, "a");
		assertThat(TopicEnvelope.message(message)).isEqualTo("{\"topic\":\"t\",\"base64\":\"AAEC\"}");
	}

	@Test
	void recoverySaysWhetherCompleteAndHowManyAreReplayed() {
		assertThat(TopicEnvelope.recovery("t", new TopicCatchUp.Outcome(false, 3)))
			.isEqualTo("{\"topic\":\"t\",\"recovered\":false,\"replayed\":3}");
	}

}
