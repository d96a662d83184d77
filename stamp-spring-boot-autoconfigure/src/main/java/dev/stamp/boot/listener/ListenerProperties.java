package dev.stamp.boot.listener;

import java.time.Duration;

/**
 * Settings every Stamp listener has, whatever its protocol: where it binds, how many
 * connections it admits, when an idle connection is closed, and its TLS.
 */
public class ListenerProperties {

	/**
	 * Whether the listener runs. When unset it starts only if the application declares
	 * routes for its protocol; {@code false} keeps it off even then.
	 */
	private Boolean enabled;

	/** Network address to bind to; {@code 0.0.0.0} listens on every interface. */
	private String host = "0.0.0.0";

	/**
	 * Port to listen on. {@code 0} binds a free port, published as
	 * {@code local.stamp.<protocol>.port}.
	 */
	private int port;

	/**
	 * Connections allowed at once. Connection N+1 is refused cleanly (TCP closed at once,
	 * HTTP and WebSocket handshake answered 503), counted and logged once per burst.
	 */
	private int maxConnections = 10_000;

	/** Close a connection after this long with no traffic in either direction. */
	private Duration idleTimeout;

	/** TLS for this listener. */
	private final Ssl ssl = new Ssl();

	protected ListenerProperties(int defaultPort, Duration defaultIdleTimeout) {
		this.port = defaultPort;
		this.idleTimeout = defaultIdleTimeout;
	}

	public Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(Boolean enabled) {
		this.enabled = enabled;
	}

	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	/** TLS settings of a listener. */
	public static class Ssl {

		/**
		 * Name of the Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose key and
		 * certificate serve TLS.
		 */
		private String bundle;

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

}
