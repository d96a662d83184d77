package dev.stamp.boot.tcp;

import java.time.Duration;

import dev.stamp.boot.listener.ListenerSettings;

/**
 * Settings of a {@link TcpListener}; by default it binds port 7070 and closes connections
 * idle for five minutes.
 */
public class TcpListenerSettings extends ListenerSettings {

	private Duration lingerTimeout = Duration.ofSeconds(5);

	public TcpListenerSettings() {
		super(7070, Duration.ofMinutes(5));
	}

	/**
	 * How long, once a handler is done and the server has sent FIN, the server waits for
	 * the client to close its side before closing the connection (five seconds by
	 * default).
	 * @return the linger timeout
	 */
	public Duration getLingerTimeout() {
		return this.lingerTimeout;
	}

	public void setLingerTimeout(Duration lingerTimeout) {
		this.lingerTimeout = lingerTimeout;
	}

}
