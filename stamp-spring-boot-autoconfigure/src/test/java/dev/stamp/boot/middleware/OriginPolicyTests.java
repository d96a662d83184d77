package dev.stamp.boot.middleware;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link OriginPolicy} lets through.
 */
class OriginPolicyTests {

	@Test
	void withoutAllowedOriginsEverythingPasses() {
		OriginPolicy policy = new OriginPolicy(List.of(), false);
		assertThat(policy.isRestricted()).isFalse();
		assertThat(policy.allows(null)).isTrue();
		assertThat(policy.allows("https://any.example")).isTrue();
	}

	@Test
	void allowedOriginsAreComparedIgnoringCaseAndAMissingOriginIsRefused() {
		OriginPolicy policy = new OriginPolicy(List.of("https://Good.example"), false);
		assertThat(policy.allows("https://good.EXAMPLE")).isTrue();
		assertThat(policy.allows("https://evil.example")).isFalse();
		assertThat(policy.allows(null)).isFalse();
	}

	@Test
	void aMissingOriginPassesOnlyWhenAllowed() {
		OriginPolicy policy = new OriginPolicy(List.of("https://good.example"), true);
		assertThat(policy.allows(null)).isTrue();
		assertThat(policy.allows("https://evil.example")).isFalse();
	}

	@Test
	void wildcardAllowsEveryOriginSentButNotAMissingOne() {
		OriginPolicy policy = new OriginPolicy(List.of("*"), false);
		assertThat(policy.allows("https://any.example")).isTrue();
		assertThat(policy.allows(null)).isFalse();
	}

}
