package dev.stamp.test.client;

import java.net.InetSocketAddress;
import java.util.Set;

import org.springframework.core.env.Environment;

/**
 * Where a test client finds a Stamp listener: a fixed address, or the one a running
 * listener published in the {@link Environment}.
 * <p>
 * Listeners publish {@code local.stamp.<protocol>.port} when they start, which is after
 * the test's beans were created, so {@link #fromEnvironment} reads it at every use rather
 * than once.
 */
public final class StampListenerAddress {

	private static final Set<String> WILDCARD_HOSTS = Set.of("", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

	private final Environment environment;

	private final String protocol;

	private final InetSocketAddress fixed;

	private StampListenerAddress(Environment environment, String protocol, InetSocketAddress fixed) {
		this.environment = environment;
		this.protocol = protocol;
		this.fixed = fixed;
	}

	/**
	 * The listener of a protocol in this environment: the host it binds
	 * ({@code stamp.<protocol>.host}, {@code 127.0.0.1} for a wildcard) and the port it
	 * published ({@code local.stamp.<protocol>.port}).
	 * @param environment the application's environment
	 * @param protocol the protocol's id, as in {@code stamp.<id>.*}: {@code tcp},
	 * {@code websocket}, {@code http} or {@code webtransport}
	 * @return the address, resolved at each use
	 */
	public static StampListenerAddress fromEnvironment(Environment environment, String protocol) {
		return new StampListenerAddress(environment, protocol, null);
	}

	/**
	 * A fixed address, for a listener outside the test's application context.
	 * @param host the host to connect to
	 * @param port the port
	 * @return the address
	 */
	public static StampListenerAddress of(String host, int port) {
		return new StampListenerAddress(null, null, InetSocketAddress.createUnresolved(host, port));
	}

	/**
	 * The host a client connects to.
	 * @return the host name or address
	 */
	public String host() {
		if (this.fixed != null) {
			return this.fixed.getHostString();
		}
		String host = this.environment.getProperty("stamp." + this.protocol + ".host", "").trim();
		return WILDCARD_HOSTS.contains(host) ? "127.0.0.1" : host;
	}

	/**
	 * The port a client connects to.
	 * @return the port
	 * @throws IllegalStateException if the protocol's listener is not running
	 */
	public int port() {
		if (this.fixed != null) {
			return this.fixed.getPort();
		}
		Integer port = this.environment.getProperty(portProperty(), Integer.class);
		if (port == null) {
			throw new IllegalStateException("No Stamp " + this.protocol + " listener is running: " + portProperty()
					+ " is not set (is stamp." + this.protocol + ".enabled false, or is no @StampRoute of the "
					+ this.protocol + " protocol declared?)");
		}
		return port;
	}

	/**
	 * The host and port for {@link java.net.URI}s.
	 * @return {@code host:port}, an IPv6 literal in brackets
	 */
	public String authority() {
		String host = host();
		return ((host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host) + ":" + port();
	}

	private String portProperty() {
		return "local.stamp." + this.protocol + ".port";
	}

	@Override
	public String toString() {
		return (this.fixed != null) ? this.fixed.getHostString() + ":" + this.fixed.getPort()
				: "the " + this.protocol + " listener (" + portProperty() + ")";
	}

}
