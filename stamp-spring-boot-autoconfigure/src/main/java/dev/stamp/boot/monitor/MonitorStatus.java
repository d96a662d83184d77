package dev.stamp.boot.monitor;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The monitor's verdict from its latest sample.
 *
 * @param state {@code healthy} (no alert), {@code degraded} (warnings) or
 * {@code unhealthy} (a critical alert)
 * @param sampledAt when the latest sample was taken, or {@code null} before the first one
 * @param alerts the alerts of the latest sample
 */
public record MonitorStatus(String state, @Nullable Instant sampledAt, List<MonitorAlert> alerts) {

	/** No alert in the latest sample. */
	public static final String HEALTHY = "healthy";

	/**
	 * Warnings only: every listener serves, but one is at a limit or refusing clients.
	 */
	public static final String DEGRADED = "degraded";

	/** A critical alert: a listener that should serve does not. */
	public static final String UNHEALTHY = "unhealthy";

}
