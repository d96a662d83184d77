package dev.stamp.boot.websocket;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

import dev.stamp.boot.listener.ListenerSettings;

/**
 * Settings of a {@link WebSocketListener}; by default it binds port 9000 and closes
 * connections idle for thirty minutes.
 */
public class WebSocketListenerSettings extends ListenerSettings {

	private DataSize maxMessageSize = DataSize.ofKilobytes(64);

	private DataSize maxPendingOutbound = DataSize.ofMegabytes(4);

	private Duration slowReaderCloseTimeout = Duration.ofSeconds(10);

	private boolean compression;

	private Duration handshakeTimeout = Duration.ofSeconds(10);

	public WebSocketListenerSettings() {
		super(9000, Duration.ofMinutes(30));
	}

	/**
	 * The largest message accepted, after joining continuation frames (64 KB by default);
	 * larger ones close the connection with 1009.
	 * @return the largest message
	 */
	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Outbound bytes that may wait for a slow reader (4 MB by default) before it is
	 * disconnected with 1013.
	 * @return the largest backlog
	 */
	public DataSize getMaxPendingOutbound() {
		return this.maxPendingOutbound;
	}

	public void setMaxPendingOutbound(DataSize maxPendingOutbound) {
		this.maxPendingOutbound = maxPendingOutbound;
	}

	/**
	 * How long a slow reader being disconnected has to take its backlog and the close
	 * frame (ten seconds by default).
	 * @return the close timeout
	 */
	public Duration getSlowReaderCloseTimeout() {
		return this.slowReaderCloseTimeout;
	}

	public void setSlowReaderCloseTimeout(Duration slowReaderCloseTimeout) {
		this.slowReaderCloseTimeout = slowReaderCloseTimeout;
	}

	/**
	 * Whether permessage-deflate is offered ({@code false} by default).
	 * @return whether compression is offered
	 */
	public boolean isCompression() {
		return this.compression;
	}

	public void setCompression(boolean compression) {
		this.compression = compression;
	}

	/**
	 * How long a client may take to send its opening handshake (ten seconds by default);
	 * zero for no deadline.
	 * @return the handshake timeout
	 */
	public Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(Duration handshakeTimeout) {
		this.handshakeTimeout = handshakeTimeout;
	}

}
