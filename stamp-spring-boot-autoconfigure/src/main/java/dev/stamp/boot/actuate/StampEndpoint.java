package dev.stamp.boot.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.monitor.ConfigurationDiagnosis;
import dev.stamp.boot.monitor.MonitorStatus;
import dev.stamp.boot.monitor.StampMonitor;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.core.BlockingHandlerExecutor;
import dev.stamp.core.ConnectionStats;

/**
 * The {@code stamp} actuator endpoint: every listener with its address, TLS, routes and
 * counters, how blocking handlers run, the monitor's verdict and the configuration
 * diagnosis. {@code /actuator/stamp/{protocol}} narrows it to one listener;
 * {@code /actuator/stamp/alerts} and {@code /actuator/stamp/history} show the monitor's
 * recent alerts and samples.
 */
@Endpoint(id = "stamp")
public class StampEndpoint {

	private static final int ALERTS_SHOWN = 25;

	private static final int SAMPLES_SHOWN = 100;

	private final List<StampListener> listeners;

	private final @Nullable StampMonitor monitor;

	private final @Nullable ConfigurationDiagnosis diagnosis;

	/**
	 * Creates the endpoint over the application's listeners.
	 * @param listeners the listeners
	 * @param monitor the monitor, or {@code null} when it is switched off
	 * @param diagnosis the configuration diagnosis, or {@code null}
	 */
	public StampEndpoint(List<StampListener> listeners, @Nullable StampMonitor monitor,
			@Nullable ConfigurationDiagnosis diagnosis) {
		this.listeners = listeners;
		this.monitor = monitor;
		this.diagnosis = diagnosis;
	}

	/**
	 * All listeners.
	 * @return the description of every listener
	 */
	@ReadOperation
	public StampDescriptor stamp() {
		Map<String, ListenerDescriptor> listeners = new LinkedHashMap<>();
		for (StampListener listener : this.listeners) {
			listeners.put(listener.protocol().id(), describe(listener));
		}
		String blockingHandlers = BlockingHandlerExecutor.virtualThreadsAvailable() ? "virtual threads"
				: "bounded platform thread pool";
		MonitorStatus status = (this.monitor != null) ? this.monitor.status() : null;
		List<String> findings = (this.diagnosis != null) ? this.diagnosis.findings() : List.of();
		return new StampDescriptor(blockingHandlers, listeners, status, findings);
	}

	/**
	 * One part: a listener by protocol id ({@code tcp}, {@code websocket}, {@code http},
	 * {@code webtransport}), or the monitor's {@code alerts} or {@code history}.
	 * @param name the part's name
	 * @return the part, or {@code null} if there is none of that name
	 */
	@ReadOperation
	public Object part(@Selector String name) {
		if ("alerts".equals(name)) {
			return (this.monitor != null) ? this.monitor.alerts(ALERTS_SHOWN) : null;
		}
		if ("history".equals(name)) {
			return (this.monitor != null) ? this.monitor.history(SAMPLES_SHOWN) : null;
		}
		return this.listeners.stream()
			.filter((listener) -> listener.protocol().id().equals(name))
			.findFirst()
			.map(StampEndpoint::describe)
			.orElse(null);
	}

	private static ListenerDescriptor describe(StampListener listener) {
		List<String> routes = listener.routes().stream().map(RouteMethod::summary).toList();
		return new ListenerDescriptor(listener.isRunning(), listener.host(),
				listener.isRunning() ? listener.port() : null, listener.isSecure(), routes, listener.stats(),
				listener.peerErrors().counts(), listener.details());
	}

	/**
	 * What the endpoint reports.
	 *
	 * @param blockingHandlers how blocking handlers run on this JVM
	 * @param listeners the listeners by protocol id
	 * @param monitor the monitor's verdict from its latest sample, or {@code null} when
	 * it is off
	 * @param diagnosis configuration that is risky in production, one sentence each
	 */
	public record StampDescriptor(String blockingHandlers, Map<String, ListenerDescriptor> listeners,
			MonitorStatus monitor, List<String> diagnosis) {
	}

	/**
	 * One listener.
	 *
	 * @param running whether it is listening
	 * @param host the configured bind address
	 * @param port the bound port, when listening
	 * @param tls whether it serves TLS
	 * @param routes its routes
	 * @param connections its connection counters
	 * @param peerErrors errors its peers caused since start, by kind (malformed input,
	 * protocol violations, timeouts)
	 * @param details protocol-specific state, such as WebTransport sessions and streams
	 */
	public record ListenerDescriptor(boolean running, String host, Integer port, boolean tls, List<String> routes,
			ConnectionStats connections, Map<String, Long> peerErrors, Map<String, Object> details) {
	}

}
