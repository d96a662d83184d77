package dev.stamp.boot.listener;

import java.util.List;
import java.util.Map;

import org.springframework.context.SmartLifecycle;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.core.ConnectionStats;
import dev.stamp.core.PeerErrors;

/**
 * A Stamp listener of any protocol, as health, metrics and the {@code stamp} actuator
 * endpoint see it. Listeners are {@link SmartLifecycle} beans: they start after the
 * application's beans and stop gracefully before them.
 */
public interface StampListener extends SmartLifecycle {

	/**
	 * Starts after the application's beans and the web server are ready, stops before
	 * them.
	 */
	int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	StampProtocol protocol();

	/**
	 * The listener's name in health, metrics, the monitor and the {@code stamp} actuator
	 * endpoint: the protocol id for the protocol's main listener, {@code <protocol>-<n>}
	 * for its additional listener number {@code n}.
	 * @return the name
	 */
	default String name() {
		return protocol().id();
	}

	/**
	 * Whether the listener is meant to run: it has routes or is enabled explicitly.
	 * @return {@code true} if the listener should run
	 */
	boolean isConfigured();

	/**
	 * The bound port, or -1 when not listening.
	 * @return the port, or -1
	 */
	int port();

	/**
	 * The configured bind address.
	 * @return the host
	 */
	String host();

	/**
	 * Whether the listener serves TLS.
	 * @return {@code true} with TLS
	 */
	boolean isSecure();

	/**
	 * The routes the listener serves.
	 * @return the routes
	 */
	List<RouteMethod> routes();

	/**
	 * Connection counters.
	 * @return the counters
	 */
	ConnectionStats stats();

	/**
	 * The settings the listener was created with and reads when it starts.
	 * @return the settings
	 */
	ListenerSettings settings();

	/**
	 * Errors peers caused on this listener (malformed input, protocol violations, stalled
	 * clients), counted by kind and logged once per burst; the same instance for the
	 * listener's whole life.
	 * @return the peer-error counters
	 */
	PeerErrors peerErrors();

	/**
	 * Counters of the protocol itself beyond connections, for example WebTransport's
	 * {@code sessions.active} or {@code streams.incoming}; none by default. The same
	 * names are reported whether or not the listener runs, so that meters can be
	 * registered once. Names ending in {@code .active} are current values, the others
	 * only grow.
	 * @return the counters by name
	 */
	default Map<String, Long> counters() {
		return Map.of();
	}

	/**
	 * Protocol-specific state for the {@code stamp} actuator endpoint (sessions, streams,
	 * ...); empty by default.
	 * @return the details by name
	 */
	default Map<String, Object> details() {
		return Map.of();
	}

	/**
	 * One page of the open connections, for the {@code stamp} actuator endpoint; a
	 * connection open for a whole walk through the pages appears exactly once.
	 * @param after the cursor: the {@code id} of the last connection already seen, or
	 * {@code 0} for the first page
	 * @param limit the page size, at least 1
	 * @return the page; empty by default
	 */
	default ConnectionPage connections(long after, int limit) {
		return ConnectionPage.EMPTY;
	}

	@Override
	default int getPhase() {
		return PHASE;
	}

}
