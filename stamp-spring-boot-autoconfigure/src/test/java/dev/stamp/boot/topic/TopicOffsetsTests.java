package dev.stamp.boot.topic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Offsets compare as Redis stream ids, not as strings.
 */
class TopicOffsetsTests {

	@Test
	void comparesTimeThenSequenceAsNumbers() {
		assertThat(TopicOffsets.compare("999-0", "1000-0")).isNegative();
		assertThat(TopicOffsets.compare("1000-10", "1000-9")).isPositive();
		assertThat(TopicOffsets.compare("1000-18446744073709551615", "1001-0")).isNegative();
		assertThat(TopicOffsets.compare("1000-1", "1000-1")).isZero();
	}

	@Test
	void refusesWhatIsNotAnOffset() {
		assertThat(TopicOffsets.isValid("1000-1")).isTrue();
		assertThat(TopicOffsets.isValid("1000")).isFalse();
		assertThat(TopicOffsets.isValid("a-1")).isFalse();
		assertThat(TopicOffsets.isValid("1-")).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> TopicOffsets.compare("x", "1-0"));
	}

}
