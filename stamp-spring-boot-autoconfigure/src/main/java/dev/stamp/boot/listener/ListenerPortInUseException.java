package dev.stamp.boot.listener;

import java.io.IOException;
import java.net.BindException;

import dev.stamp.boot.StampProtocol;

/**
 * A listener could not start because its port is taken by another process (or another
 * listener); the failure analysis names the property to change.
 */
public class ListenerPortInUseException extends IllegalStateException {

	private final StampProtocol protocol;

	private final String host;

	private final int port;

	private final String portProperty;

	ListenerPortInUseException(StampProtocol protocol, String host, int port, String portProperty, Throwable cause) {
		super("Stamp " + protocol.id() + " listener could not bind " + host + ":" + port
				+ ": the port is already in use", cause);
		this.protocol = protocol;
		this.host = host;
		this.port = port;
		this.portProperty = portProperty;
	}

	/**
	 * Whether a bind failed because the address is taken, as the JDK and Netty's native
	 * transports report it, possibly wrapped (Reactor Netty's
	 * {@code ChannelBindException}).
	 * @param failure what the bind threw
	 * @return {@code true} for "address already in use"
	 */
	static boolean isPortInUse(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof BindException && !isPermissionDenied(cause)) {
				return true;
			}
			if (cause instanceof IOException && cause.getMessage() != null
					&& cause.getMessage().contains("Address already in use")) {
				return true;
			}
		}
		return false;
	}

	private static boolean isPermissionDenied(Throwable bindFailure) {
		String message = bindFailure.getMessage();
		return message != null && message.contains("Permission denied");
	}

	/**
	 * Returns the listener's protocol.
	 * @return the listener's protocol
	 */
	public StampProtocol getProtocol() {
		return this.protocol;
	}

	/**
	 * Returns the configured bind address.
	 * @return the configured bind address
	 */
	public String getHost() {
		return this.host;
	}

	/**
	 * Returns the configured port that is in use.
	 * @return the configured port that is in use
	 */
	public int getPort() {
		return this.port;
	}

	/**
	 * Returns the property that sets the port, such as {@code stamp.http.port} or
	 * {@code stamp.http.additional-listeners[0].port}.
	 * @return the property that sets the port
	 */
	public String getPortProperty() {
		return this.portProperty;
	}

}
