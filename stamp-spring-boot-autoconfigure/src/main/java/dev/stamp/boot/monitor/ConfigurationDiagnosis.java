package dev.stamp.boot.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.stamp.boot.listener.ListenerSettings;
import dev.stamp.boot.listener.StampListener;
import dev.stamp.core.BlockingHandlerExecutor;

/**
 * Looks at the configuration and the counters of the running listeners for things that
 * are fine in development and risky in production, and says each in a sentence with the
 * property to change.
 */
public class ConfigurationDiagnosis {

	private final Duration gracePeriod;

	private final int blockingMaxThreads;

	private final List<StampListener> listeners;

	/**
	 * Creates a diagnosis.
	 * @param gracePeriod how long a stop waits for in-flight work
	 * ({@code stamp.shutdown.grace-period})
	 * @param blockingMaxThreads the platform threads for blocking handlers before Java 21
	 * ({@code stamp.blocking.max-threads})
	 * @param listeners the listeners to look at
	 */
	public ConfigurationDiagnosis(Duration gracePeriod, int blockingMaxThreads, List<StampListener> listeners) {
		this.gracePeriod = gracePeriod;
		this.blockingMaxThreads = blockingMaxThreads;
		this.listeners = listeners;
	}

	/**
	 * The findings; empty when nothing stands out.
	 * @return the findings
	 */
	public List<String> findings() {
		List<String> findings = new ArrayList<>();
		for (StampListener listener : this.listeners) {
			if (!listener.isConfigured()) {
				continue;
			}
			String id = listener.protocol().id();
			String name = listener.name();
			ListenerSettings settings = listener.settings();
			if (!listener.isRunning()) {
				findings.add(name + " listener has routes but is not running: check the log for why it did not start");
			}
			if ((settings.getIdleTimeout() == null || settings.getIdleTimeout().isZero())) {
				findings
					.add(name + " listener never closes idle connections: vanished clients keep their slot; set stamp."
							+ id + ".idle-timeout");
			}
			if ("tcp".equals(id) && !BlockingHandlerExecutor.virtualThreadsAvailable()
					&& listener.routes().stream().anyMatch((route) -> !route.isReactive())
					&& this.blockingMaxThreads < listener.stats().maxConnections()) {
				findings.add("tcp listener has a blocking route on Java " + Runtime.version().feature()
						+ ": each connection holds one of " + this.blockingMaxThreads
						+ " platform threads, so connections beyond that wait for one although max-connections is "
						+ listener.stats().maxConnections() + "; use a ReactiveTcpConnection route, Java 21+, or raise "
						+ "stamp.blocking.max-threads");
			}
			if (listener.stats().refusedConnections() > 0) {
				findings.add(name + " listener refused " + listener.stats().refusedConnections()
						+ " connection(s) at max-connections (" + listener.stats().maxConnections() + "); raise stamp."
						+ id + ".max-connections if the load is expected");
			}
			if ("webtransport".equals(id) && settings.getSslBundle() == null) {
				findings.add("webtransport listener serves a generated development certificate (valid 10 days, "
						+ "trusted only through serverCertificateHashes); set stamp.webtransport.ssl.bundle in production");
			}
			else if (!listener.isSecure() && "0.0.0.0".equals(settings.getHost())) {
				findings.add(name + " listener accepts plain-text connections on every interface; set stamp." + id
						+ ".ssl.bundle or bind stamp." + id + ".host to a private address");
			}
		}
		Duration grace = this.gracePeriod;
		if (grace.compareTo(Duration.ofSeconds(30)) > 0) {
			findings.add("stamp.shutdown.grace-period (" + grace + ") is longer than Spring's default "
					+ "spring.lifecycle.timeout-per-shutdown-phase (30s): shutdown may be cut short");
		}
		if (!BlockingHandlerExecutor.virtualThreadsAvailable()) {
			findings.add("Java " + Runtime.version().feature() + " has no virtual threads: blocking handlers share "
					+ this.blockingMaxThreads + " platform threads (stamp.blocking.max-threads)");
		}
		return findings;
	}

}
