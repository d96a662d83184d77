package dev.stamp.boot.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.core.BlockingHandlerExecutor;
import dev.stamp.core.ConnectionStats;

/**
 * The {@code stamp} actuator endpoint: every listener with its address, TLS, routes and connection counters, and how
 * blocking handlers run. {@code /actuator/stamp/{protocol}} narrows it to one listener.
 */
@Endpoint(id = "stamp")
public class StampEndpoint {

	private final List<StampListener> listeners;

	public StampEndpoint(List<StampListener> listeners) {
		this.listeners = listeners;
	}

	/** All listeners. */
	@ReadOperation
	public StampDescriptor stamp() {
		Map<String, ListenerDescriptor> listeners = new LinkedHashMap<>();
		for (StampListener listener : this.listeners) {
			listeners.put(listener.protocol().id(), describe(listener));
		}
		String blockingHandlers = BlockingHandlerExecutor.virtualThreadsAvailable() ? "virtual threads"
				: "bounded platform thread pool";
		return new StampDescriptor(blockingHandlers, listeners);
	}

	/** One listener, by protocol id ({@code tcp}, {@code websocket}, {@code http}, {@code webtransport}). */
	@ReadOperation
	public ListenerDescriptor listener(@Selector String protocol) {
		return this.listeners.stream()
			.filter((listener) -> listener.protocol().id().equals(protocol))
			.findFirst()
			.map(StampEndpoint::describe)
			.orElse(null);
	}

	private static ListenerDescriptor describe(StampListener listener) {
		List<String> routes = listener.routes().stream().map(StampEndpoint::describe).toList();
		return new ListenerDescriptor(listener.isRunning(), listener.host(), listener.isRunning() ? listener.port() : null,
				listener.isSecure(), routes, listener.stats());
	}

	private static String describe(RouteMethod route) {
		StringBuilder text = new StringBuilder();
		if (!route.httpMethods().isEmpty()) {
			text.append(route.httpMethods()).append(' ');
		}
		if (!route.path().isEmpty()) {
			text.append(route.path()).append(" -> ");
		}
		return text.append(route.describe()).toString();
	}

	/**
	 * What the endpoint reports.
	 *
	 * @param blockingHandlers how blocking handlers run on this JVM
	 * @param listeners the listeners by protocol id
	 */
	public record StampDescriptor(String blockingHandlers, Map<String, ListenerDescriptor> listeners) {
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
	 */
	public record ListenerDescriptor(boolean running, String host, Integer port, boolean tls, List<String> routes,
			ConnectionStats connections) {
	}

}
