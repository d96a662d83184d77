package dev.stamp.boot.fuzz;

/**
 * How long each fuzz target runs in a plain build (docs/fuzzing.md); the per-input hang
 * limit is libFuzzer's {@code -timeout}, set in the parent POM.
 */
public final class FuzzDurations {

	/** Fuzzing time per target, as in the engine's fuzz tests. */
	public static final String PER_TARGET = "12s";

	private FuzzDurations() {
	}

}
