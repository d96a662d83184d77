package dev.stamp.boot.http;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

import dev.stamp.boot.listener.ListenerSettings;

/**
 * Settings of an {@link HttpListener}; by default it binds port 8000 and closes
 * connections idle for a minute.
 */
public class HttpListenerSettings extends ListenerSettings {

	private DataSize maxRequestSize = DataSize.ofMegabytes(1);

	private DataSize maxHeaderSize = DataSize.ofKilobytes(8);

	private Duration requestHeaderTimeout = Duration.ofSeconds(10);

	private Duration requestBodyTimeout = Duration.ofSeconds(30);

	public HttpListenerSettings() {
		super(8000, Duration.ofSeconds(60));
	}

	/**
	 * The largest request body accepted (1 MB by default); larger ones are answered 413.
	 * @return the largest body
	 */
	public DataSize getMaxRequestSize() {
		return this.maxRequestSize;
	}

	public void setMaxRequestSize(DataSize maxRequestSize) {
		this.maxRequestSize = maxRequestSize;
	}

	/**
	 * The largest request line plus headers accepted (8 KB by default).
	 * @return the largest head
	 */
	public DataSize getMaxHeaderSize() {
		return this.maxHeaderSize;
	}

	public void setMaxHeaderSize(DataSize maxHeaderSize) {
		this.maxHeaderSize = maxHeaderSize;
	}

	/**
	 * How long a client has to send a request head (ten seconds by default); zero for no
	 * limit.
	 * @return the header timeout
	 */
	public Duration getRequestHeaderTimeout() {
		return this.requestHeaderTimeout;
	}

	public void setRequestHeaderTimeout(Duration requestHeaderTimeout) {
		this.requestHeaderTimeout = requestHeaderTimeout;
	}

	/**
	 * How long a client has to send a request body after its head (thirty seconds by
	 * default); zero for no limit.
	 * @return the body timeout
	 */
	public Duration getRequestBodyTimeout() {
		return this.requestBodyTimeout;
	}

	public void setRequestBodyTimeout(Duration requestBodyTimeout) {
		this.requestBodyTimeout = requestBodyTimeout;
	}

}
