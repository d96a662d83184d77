package dev.stamp.boot.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.stamp.boot.listener.StampListener;
import dev.stamp.core.ConnectionStats;

/**
 * Health of Stamp's listeners: {@code UP} when every listener that is meant to run (it
 * has routes or is enabled) is listening, {@code DOWN} otherwise. Details show each
 * listener's port and connection counters; listeners with nothing to serve are left out.
 */
public class StampHealthIndicator extends AbstractHealthIndicator {

	private final List<StampListener> listeners;

	public StampHealthIndicator(List<StampListener> listeners) {
		super("Stamp health check failed");
		this.listeners = listeners;
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
			builder.withDetail(listener.protocol().id(), details(listener, listening));
		}
		if (allListening) {
			builder.up();
		}
		else {
			builder.down();
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

}
