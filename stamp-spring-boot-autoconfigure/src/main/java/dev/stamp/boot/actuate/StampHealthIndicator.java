package dev.stamp.boot.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.monitor.MonitorAlert;
import dev.stamp.boot.monitor.MonitorStatus;
import dev.stamp.boot.monitor.StampMonitor;
import dev.stamp.core.ConnectionStats;

/**
 * Health of Stamp's listeners, from their state now and the {@link StampMonitor}'s
 * verdict on its latest sample:
 * <ul>
 * <li>{@code DOWN} when a listener that is meant to run (it has routes or is enabled) is
 * not listening now;</li>
 * <li>{@code OUT_OF_SERVICE} (by default) when the monitor says a listener is degraded:
 * at its connection limit or refusing clients. It still serves, but should get no more
 * traffic; Boot's default status order and HTTP mapping (503) treat this status so
 * without any configuration, which a custom status would not get;</li>
 * <li>{@code UP} otherwise.</li>
 * </ul>
 * Details show each listener's port and connection counters by
 * {@link StampListener#name() name} (listeners with nothing to serve are left out) and,
 * with a monitor, its verdict and alerts.
 */
public class StampHealthIndicator extends AbstractHealthIndicator {

	private final List<StampListener> listeners;

	private final @Nullable StampMonitor monitor;

	private final Status degradedStatus;

	/**
	 * Health from the listeners alone, without a monitor.
	 * @param listeners the listeners
	 */
	public StampHealthIndicator(List<StampListener> listeners) {
		this(listeners, null, Status.OUT_OF_SERVICE);
	}

	/**
	 * Creates an indicator that reports a degraded verdict of the monitor with a status
	 * of the application's choice.
	 * @param listeners the listeners
	 * @param monitor the monitor whose verdict counts, or {@code null}
	 * @param degradedStatus the status while the monitor says a listener is degraded
	 */
	public StampHealthIndicator(List<StampListener> listeners, @Nullable StampMonitor monitor, Status degradedStatus) {
		super("Stamp health check failed");
		this.listeners = listeners;
		this.monitor = monitor;
		this.degradedStatus = degradedStatus;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean allListening = true;
		for (StampListener listener : this.listeners) {
			if (!listener.isConfigured()) {
				continue;
			}
			boolean listening = listener.isRunning();
			allListening &= listening;
			builder.withDetail(listener.name(), details(listener, listening));
		}
		MonitorStatus verdict = (this.monitor != null) ? this.monitor.status() : null;
		if (verdict != null) {
			builder.withDetail("monitor", monitorDetails(verdict));
		}
		if (!allListening) {
			builder.down();
		}
		else if (verdict != null && !MonitorStatus.HEALTHY.equals(verdict.state())) {
			// Also when the latest sample saw a listener down that listens again: not UP
			// before a sample confirms it.
			builder.status(this.degradedStatus);
		}
		else {
			builder.up();
		}
	}

	private static Map<String, Object> details(StampListener listener, boolean listening) {
		ConnectionStats stats = listener.stats();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("status", listening ? "listening" : "not listening");
		if (listening) {
			details.put("port", listener.port());
		}
		details.put("activeConnections", stats.activeConnections());
		details.put("maxConnections", stats.maxConnections());
		details.put("refusedConnections", stats.refusedConnections());
		return details;
	}

	private static Map<String, Object> monitorDetails(MonitorStatus verdict) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", verdict.state());
		if (verdict.sampledAt() != null) {
			details.put("sampledAt", verdict.sampledAt().toString());
		}
		List<String> alerts = verdict.alerts().stream().map(StampHealthIndicator::describe).toList();
		if (!alerts.isEmpty()) {
			details.put("alerts", alerts);
		}
		return details;
	}

	private static String describe(MonitorAlert alert) {
		return alert.severity() + " " + alert.listener() + ": " + alert.message();
	}

}
