package dev.stamp.boot.http;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlainResponsesTests {

	@Test
	void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
		assertThat(PlainResponses.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
		assertThat(PlainResponses.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
		assertThat(PlainResponses.retryAfterSeconds(Duration.ofMillis(7_500))).isEqualTo(8);
		assertThat(PlainResponses.retryAfterSeconds(Duration.ofSeconds(60))).isEqualTo(60);
	}

	@Test
	void contentTooLargeUsesTheReasonPhraseOfRfc9110() {
		assertThat(PlainResponses.CONTENT_TOO_LARGE.code()).isEqualTo(413);
		assertThat(PlainResponses.CONTENT_TOO_LARGE.reasonPhrase()).isEqualTo("Content Too Large");
	}

}
