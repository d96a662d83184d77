package dev.stamp.webtransport.fuzz;

/**
 * How long each fuzz target runs in a plain build (docs/fuzzing.md). The per-input hang
 * limit is libFuzzer's {@code -timeout}, set in the parent POM: a JUnit {@code @Timeout}
 * would bound the whole fuzzing run instead.
 */
public final class FuzzDurations {

	/**
	 * Fuzzing time per target; the targets of both modules stay under three minutes on
	 * two cores.
	 */
	public static final String PER_TARGET = "12s";

	private FuzzDurations() {
	}

}
