package dev.stamp.boot.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.stamp.boot.listener.ConnectionPage;
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
 * diagnosis; its size does not depend on how many clients are connected.
 * {@code /actuator/stamp/{listener}} narrows it to one listener by name (the protocol id
 * for a protocol's main listener, {@code <protocol>-<n>} for its other listeners);
 * {@code /actuator/stamp/alerts?limit=} and {@code /actuator/stamp/history?limit=} show
 * the monitor's recent alerts and samples; {@code /actuator/stamp/{listener}/connections}
 * lists a listener's open connections page by page ({@code ?limit=&after=});
 * {@code /actuator/stamp/cluster} lists the cluster's live nodes and their aggregate when
 * the cluster is on.
 */
@Endpoint(id = "stamp")
public class StampEndpoint {

	static final int DEFAULT_ALERTS = 25;

	static final int DEFAULT_SAMPLES = 100;

	static final int DEFAULT_CONNECTIONS = 100;

	/** Bounds one page, so that a single request cannot read every connection at once. */
	static final int MAX_CONNECTIONS_PER_PAGE = 1000;

	private final List<StampListener> listeners;

	private final @Nullable StampMonitor monitor;

	private final @Nullable ConfigurationDiagnosis diagnosis;

	private final @Nullable ClusterContributor cluster;

	/**
	 * Creates the endpoint over the application's listeners, without a cluster.
	 * @param listeners the listeners
	 * @param monitor the monitor, or {@code null} when it is switched off
	 * @param diagnosis the configuration diagnosis, or {@code null}
	 */
	public StampEndpoint(List<StampListener> listeners, @Nullable StampMonitor monitor,
			@Nullable ConfigurationDiagnosis diagnosis) {
		this(listeners, monitor, diagnosis, null);
	}

	/**
	 * Creates the endpoint over the application's listeners.
	 * @param listeners the listeners
	 * @param monitor the monitor, or {@code null} when it is switched off
	 * @param diagnosis the configuration diagnosis, or {@code null}
	 * @param cluster what {@code /actuator/stamp/cluster} shows, or {@code null} when the
	 * cluster is off
	 */
	public StampEndpoint(List<StampListener> listeners, @Nullable StampMonitor monitor,
			@Nullable ConfigurationDiagnosis diagnosis, @Nullable ClusterContributor cluster) {
		this.listeners = listeners;
		this.monitor = monitor;
		this.diagnosis = diagnosis;
		this.cluster = cluster;
	}

	/**
	 * All listeners, as counts and summaries.
	 * @return the description of every listener
	 */
	@ReadOperation
	public StampDescriptor stamp() {
		Map<String, ListenerDescriptor> listeners = new LinkedHashMap<>();
		for (StampListener listener : this.listeners) {
			listeners.put(listener.name(), describe(listener));
		}
		String blockingHandlers = BlockingHandlerExecutor.virtualThreadsAvailable() ? "virtual threads"
				: "bounded platform thread pool";
		MonitorStatus status = (this.monitor != null) ? this.monitor.status() : null;
		List<String> findings = (this.diagnosis != null) ? this.diagnosis.findings() : List.of();
		return new StampDescriptor(blockingHandlers, listeners, status, findings);
	}

	/**
	 * One part: a listener by name ({@code tcp}, {@code websocket}, {@code http},
	 * {@code webtransport}, {@code websocket-0}, ...), the monitor's {@code alerts} or
	 * {@code history}, newest first, or the {@code cluster}'s live nodes and their
	 * aggregate.
	 * @param name the listener's name, {@code alerts}, {@code history} or {@code cluster}
	 * @param limit how many alerts (default 25) or samples (default 100) to show; the
	 * monitor keeps at most {@code stamp.monitor.alert-history-size} and
	 * {@code stamp.monitor.history-size}
	 * @return the part, or {@code null} (404) when there is no such part
	 */
	@ReadOperation
	public @Nullable Object part(@Selector String name, @Nullable Integer limit) {
		if ("alerts".equals(name)) {
			return (this.monitor != null) ? this.monitor.alerts(positive("limit", limit, DEFAULT_ALERTS)) : null;
		}
		if ("history".equals(name)) {
			return (this.monitor != null) ? this.monitor.history(positive("limit", limit, DEFAULT_SAMPLES)) : null;
		}
		if ("cluster".equals(name)) {
			return (this.cluster != null) ? this.cluster.describe() : null;
		}
		StampListener listener = listener(name);
		return (listener != null) ? describe(listener) : null;
	}

	/**
	 * A page of one listener's open connections, in order of their ids.
	 * @param protocol the listener's name
	 * @param part {@code connections}
	 * @param limit the page size (default 100, at most 1000)
	 * @param after the {@code next} cursor of the previous page; omitted for the first
	 * page
	 * @return the page, or {@code null} (404) when there is no such listener or part
	 */
	@ReadOperation
	public @Nullable ConnectionPage connections(@Selector String protocol, @Selector String part,
			@Nullable Integer limit, @Nullable Long after) {
		StampListener listener = listener(protocol);
		if (listener == null || !"connections".equals(part)) {
			return null;
		}
		int pageSize = Math.min(positive("limit", limit, DEFAULT_CONNECTIONS), MAX_CONNECTIONS_PER_PAGE);
		if (after != null && after < 0) {
			throw new InvalidEndpointRequestException("'after' must not be negative, was " + after,
					"Invalid 'after' cursor");
		}
		return listener.connections((after != null) ? after : 0, pageSize);
	}

	private @Nullable StampListener listener(String name) {
		return this.listeners.stream().filter((listener) -> listener.name().equals(name)).findFirst().orElse(null);
	}

	private static int positive(String name, @Nullable Integer value, int defaultValue) {
		if (value == null) {
			return defaultValue;
		}
		if (value < 1) {
			throw new InvalidEndpointRequestException("'" + name + "' must be at least 1, was " + value,
					"Invalid '" + name + "'");
		}
		return value;
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
	 * @param listeners the listeners by name
	 * @param monitor the monitor's verdict from its latest sample, or {@code null} when
	 * it is off
	 * @param diagnosis configuration that is risky in production, one sentence each
	 */
	public record StampDescriptor(String blockingHandlers, Map<String, ListenerDescriptor> listeners,
			@Nullable MonitorStatus monitor, List<String> diagnosis) {
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
	 * @param details protocol-specific state of a fixed size, such as WebTransport's
	 * session and stream counters; the connections themselves are under
	 * {@code /actuator/stamp/{protocol}/connections}
	 */
	public record ListenerDescriptor(boolean running, String host, @Nullable Integer port, boolean tls,
			List<String> routes, ConnectionStats connections, Map<String, Long> peerErrors,
			Map<String, Object> details) {
	}

}
