package dev.stamp.boot.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What every Stamp listener is told, whatever its protocol: whether it runs, where it
 * binds, how many connections it admits, when an idle connection is closed, and which SSL
 * bundle serves its TLS.
 * <p>
 * A plain object with a listener's defaults, so that a listener can be built without
 * Spring's property binding: the auto-configurations map {@code stamp.<protocol>.*} onto
 * it, and code that starts a listener itself fills one in. A listener reads its settings
 * when it is created and when it starts: fill them in before creating it. Protocols add
 * their own settings in subclasses.
 */
public abstract class ListenerSettings {

	private @Nullable Boolean enabled;

	private String host = "0.0.0.0";

	private int port;

	private int maxConnections = 10_000;

	private @Nullable Duration idleTimeout;

	private @Nullable String sslBundle;

	/**
	 * Creates settings with a protocol's defaults.
	 * @param defaultPort the port bound unless told otherwise
	 * @param defaultIdleTimeout the idle timeout unless told otherwise
	 */
	protected ListenerSettings(int defaultPort, Duration defaultIdleTimeout) {
		this.port = defaultPort;
		this.idleTimeout = defaultIdleTimeout;
	}

	/**
	 * Whether the listener runs: {@code true} starts it even without routes,
	 * {@code false} keeps it off even with routes, {@code null} (the default) starts it
	 * only when the application declares routes for its protocol.
	 * @return whether the listener runs, or {@code null} to decide from the routes
	 */
	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * The address to bind to; {@code 0.0.0.0} (the default) listens on every interface.
	 * @return the address
	 */
	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	/**
	 * The port to bind to; {@code 0} binds a free one.
	 * @return the port
	 */
	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	/**
	 * Connections admitted at once (10,000 by default); further ones are refused cleanly.
	 * @return the limit
	 */
	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	/**
	 * How long a connection may go without traffic before it is closed; {@code null} or
	 * zero never closes idle connections.
	 * @return the idle timeout, or {@code null}
	 */
	public @Nullable Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(@Nullable Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	/**
	 * The name of the Spring Boot SSL bundle that serves TLS; {@code null} (the default)
	 * for plain text.
	 * @return the bundle name, or {@code null}
	 */
	public @Nullable String getSslBundle() {
		return this.sslBundle;
	}

	public void setSslBundle(@Nullable String sslBundle) {
		this.sslBundle = sslBundle;
	}

}
