package dev.stamp.boot.webtransport;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

import dev.stamp.boot.listener.ListenerSettings;

/**
 * Settings of a {@link WebTransportListener}; by default it binds UDP port 4433, closes
 * connections idle for thirty seconds and, without an SSL bundle, serves a generated
 * development certificate.
 */
public class WebTransportListenerSettings extends ListenerSettings {

	private int maxSessions = 10_000;

	private int maxSessionsPerConnection = 16;

	private int maxStreamsPerSession = 100;

	private DataSize maxDatagramSize = DataSize.ofBytes(65_535);

	private Duration handshakeTimeout = Duration.ofSeconds(10);

	private int eventLoopThreads;

	private boolean addressValidation;

	private @Nullable Path qlogDirectory;

	private @Nullable DataSize socketReceiveBuffer;

	private @Nullable DataSize socketSendBuffer;

	public WebTransportListenerSettings() {
		super(4433, Duration.ofSeconds(30));
	}

	/**
	 * Sessions allowed at once over all connections (10,000 by default).
	 * @return the limit
	 */
	public int getMaxSessions() {
		return this.maxSessions;
	}

	public void setMaxSessions(int maxSessions) {
		this.maxSessions = maxSessions;
	}

	/**
	 * Sessions allowed at once on one connection (16 by default).
	 * @return the limit
	 */
	public int getMaxSessionsPerConnection() {
		return this.maxSessionsPerConnection;
	}

	public void setMaxSessionsPerConnection(int maxSessionsPerConnection) {
		this.maxSessionsPerConnection = maxSessionsPerConnection;
	}

	/**
	 * Streams the peer may open per session (100 by default).
	 * @return the limit
	 */
	public int getMaxStreamsPerSession() {
		return this.maxStreamsPerSession;
	}

	public void setMaxStreamsPerSession(int maxStreamsPerSession) {
		this.maxStreamsPerSession = maxStreamsPerSession;
	}

	/**
	 * The largest datagram payload accepted or sent (65,535 bytes by default).
	 * @return the largest datagram
	 */
	public DataSize getMaxDatagramSize() {
		return this.maxDatagramSize;
	}

	public void setMaxDatagramSize(DataSize maxDatagramSize) {
		this.maxDatagramSize = maxDatagramSize;
	}

	/**
	 * How long a client has to complete the QUIC and TLS handshake (ten seconds by
	 * default).
	 * @return the handshake timeout
	 */
	public Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(Duration handshakeTimeout) {
		this.handshakeTimeout = handshakeTimeout;
	}

	/**
	 * Event loops serving QUIC; 0 (the default) lets the engine choose.
	 * @return the number of event loops, or 0
	 */
	public int getEventLoopThreads() {
		return this.eventLoopThreads;
	}

	public void setEventLoopThreads(int eventLoopThreads) {
		this.eventLoopThreads = eventLoopThreads;
	}

	/**
	 * Whether new connections must prove their address with a Retry round trip
	 * ({@code false} by default).
	 * @return whether addresses are validated
	 */
	public boolean isAddressValidation() {
		return this.addressValidation;
	}

	public void setAddressValidation(boolean addressValidation) {
		this.addressValidation = addressValidation;
	}

	/**
	 * The directory for qlog traces of every QUIC connection; {@code null} (the default)
	 * writes none.
	 * @return the directory, or {@code null}
	 */
	public @Nullable Path getQlogDirectory() {
		return this.qlogDirectory;
	}

	public void setQlogDirectory(@Nullable Path qlogDirectory) {
		this.qlogDirectory = qlogDirectory;
	}

	/**
	 * The kernel receive buffer of each UDP socket; {@code null} (the default) keeps the
	 * system's.
	 * @return the buffer size, or {@code null}
	 */
	public @Nullable DataSize getSocketReceiveBuffer() {
		return this.socketReceiveBuffer;
	}

	public void setSocketReceiveBuffer(@Nullable DataSize socketReceiveBuffer) {
		this.socketReceiveBuffer = socketReceiveBuffer;
	}

	/**
	 * The kernel send buffer of each UDP socket; {@code null} (the default) keeps the
	 * system's.
	 * @return the buffer size, or {@code null}
	 */
	public @Nullable DataSize getSocketSendBuffer() {
		return this.socketSendBuffer;
	}

	public void setSocketSendBuffer(@Nullable DataSize socketSendBuffer) {
		this.socketSendBuffer = socketSendBuffer;
	}

}
