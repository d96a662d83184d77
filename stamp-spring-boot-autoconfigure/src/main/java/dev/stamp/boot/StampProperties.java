package dev.stamp.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.stamp.boot.listener.ListenerSettings;

/**
 * Configuration of Stamp's listeners, bound from {@code stamp.*}.
 * <p>
 * Each protocol has its own listener with its own port, limits and SSL; a listener starts
 * when the application declares {@link StampRoute routes} for it, or when its
 * {@code enabled} property is {@code true}.
 */
@ConfigurationProperties("stamp")
@Validated
public class StampProperties {

	/**
	 * Whether Stamp runs at all; {@code false} switches every listener, the monitor and
	 * the middleware off.
	 */
	private boolean enabled = true;

	@Valid
	private final Tcp tcp = new Tcp();

	@Valid
	private final WebSocket websocket = new WebSocket();

	@Valid
	private final Http http = new Http();

	@Valid
	private final WebTransport webtransport = new WebTransport();

	@Valid
	private final Shutdown shutdown = new Shutdown();

	@Valid
	private final Blocking blocking = new Blocking();

	@Valid
	private final Middleware middleware = new Middleware();

	@Valid
	private final Monitor monitor = new Monitor();

	@Valid
	private final Topics topics = new Topics();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Tcp getTcp() {
		return this.tcp;
	}

	public WebSocket getWebsocket() {
		return this.websocket;
	}

	public Http getHttp() {
		return this.http;
	}

	public WebTransport getWebtransport() {
		return this.webtransport;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Blocking getBlocking() {
		return this.blocking;
	}

	public Middleware getMiddleware() {
		return this.middleware;
	}

	public Monitor getMonitor() {
		return this.monitor;
	}

	public Topics getTopics() {
		return this.topics;
	}

	/**
	 * Settings every Stamp listener has, whatever its protocol: where it binds, how many
	 * connections it admits, when an idle connection is closed, and its TLS.
	 */
	public abstract static class Listener {

		/**
		 * Whether the listener runs. When unset it starts only if the application
		 * declares routes for its protocol; {@code false} keeps it off even then.
		 */
		private Boolean enabled;

		/** Network address to bind to; {@code 0.0.0.0} listens on every interface. */
		private String host = "0.0.0.0";

		/**
		 * Port to listen on. {@code 0} binds a free port, published as
		 * {@code local.stamp.<protocol>.port}.
		 */
		@Min(0)
		@Max(65535)
		private int port;

		/**
		 * Connections allowed at once. Connection N+1 is refused cleanly (TCP closed at
		 * once, HTTP and WebSocket handshake answered 503), counted and logged once per
		 * burst.
		 */
		@Positive
		private int maxConnections = 10_000;

		/** Close a connection after this long with no traffic in either direction. */
		@PositiveOrZero
		private Duration idleTimeout;

		/** TLS for this listener. */
		private final Ssl ssl = new Ssl();

		/**
		 * More listeners of this protocol, serving the same routes and sharing their
		 * state (WebSocket rooms). Each has host, port (required), max-connections,
		 * idle-timeout, ssl.bundle and enabled; what it leaves unset, and the protocol's
		 * own settings (message sizes, timeouts, allowed origins), are the main
		 * listener's. Listener n publishes
		 * {@code local.stamp.<protocol>.additional-listeners[n].port}.
		 */
		private final List<@Valid AdditionalListener> additionalListeners = new ArrayList<>();

		protected Listener(int defaultPort, Duration defaultIdleTimeout) {
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

		public List<AdditionalListener> getAdditionalListeners() {
			return this.additionalListeners;
		}

		/**
		 * Copies the settings every listener has onto a listener's runtime settings; the
		 * protocol's auto-configuration maps its own properties after it.
		 * @param settings the settings to fill in
		 * @param <S> the settings type
		 * @return the settings given
		 */
		public <S extends ListenerSettings> S applyTo(S settings) {
			PropertyMapper map = PropertyMapper.get();
			map.from(this::getEnabled).to(settings::setEnabled);
			map.from(this::getHost).to(settings::setHost);
			map.from(this::getPort).to(settings::setPort);
			map.from(this::getMaxConnections).to(settings::setMaxConnections);
			// Unset means never close idle connections: a null overrides the protocol's
			// default.
			map.from(this::getIdleTimeout).always().to(settings::setIdleTimeout);
			map.from(this.ssl::getBundle).to(settings::setSslBundle);
			return settings;
		}

		/**
		 * The runtime settings of each of the {@link #getAdditionalListeners() additional
		 * listeners}: the main listener's settings, with what the additional listener
		 * sets on top.
		 * @param mainSettings creates the main listener's settings afresh, protocol
		 * settings included
		 * @param <S> the settings type
		 * @return the settings of every additional listener, in order
		 */
		public <S extends ListenerSettings> List<S> buildAdditionalListenerSettings(Supplier<S> mainSettings) {
			List<S> settings = new ArrayList<>();
			for (AdditionalListener listener : this.additionalListeners) {
				settings.add(listener.applyTo(mainSettings.get()));
			}
			return settings;
		}

		/** TLS settings of a listener. */
		public static class Ssl {

			/**
			 * Name of the Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose key
			 * and certificate serve TLS.
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

	/**
	 * One more listener of a protocol, {@code stamp.<protocol>.additional-listeners[i]}:
	 * its own address, limits and TLS; what is left unset is the main listener's.
	 */
	public static class AdditionalListener {

		/**
		 * Whether this listener runs; unset, it follows the main listener's
		 * {@code enabled}.
		 */
		private Boolean enabled;

		/** Network address to bind to; unset, the main listener's host. */
		private String host;

		/**
		 * Port to listen on, required. {@code 0} binds a free port, published as
		 * {@code local.stamp.<protocol>.additional-listeners[i].port}.
		 */
		@NotNull
		@Min(0)
		@Max(65535)
		private Integer port;

		/** Connections allowed at once; unset, the main listener's limit. */
		@Positive
		private Integer maxConnections;

		/**
		 * Close a connection after this long with no traffic; unset, the main listener's
		 * idle timeout.
		 */
		@PositiveOrZero
		private Duration idleTimeout;

		/** TLS for this listener; an unset bundle is the main listener's. */
		private final Listener.Ssl ssl = new Listener.Ssl();

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

		public Integer getPort() {
			return this.port;
		}

		public void setPort(Integer port) {
			this.port = port;
		}

		public Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(Integer maxConnections) {
			this.maxConnections = maxConnections;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public Listener.Ssl getSsl() {
			return this.ssl;
		}

		/**
		 * Overrides, in the main listener's settings, what this listener sets.
		 * @param settings the main listener's settings
		 * @param <S> the settings type
		 * @return the settings given
		 */
		<S extends ListenerSettings> S applyTo(S settings) {
			PropertyMapper map = PropertyMapper.get();
			map.from(this::getEnabled).to(settings::setEnabled);
			map.from(this::getHost).to(settings::setHost);
			map.from(this::getPort).to(settings::setPort);
			map.from(this::getMaxConnections).to(settings::setMaxConnections);
			map.from(this::getIdleTimeout).to(settings::setIdleTimeout);
			map.from(this.ssl::getBundle).to(settings::setSslBundle);
			return settings;
		}

	}

	/**
	 * Raw TCP listener. The default port is 7070, not the classic 8080, so that it never
	 * collides with Spring Boot's own {@code server.port}.
	 */
	public static class Tcp extends Listener {

		/**
		 * Once a handler is done and its last byte has reached the socket, the server
		 * sends FIN and waits this long for the client to close its side, discarding what
		 * it still sends, before closing the connection. Closing with unread input would
		 * reset the connection and could destroy the end of the reply.
		 */
		@PositiveOrZero
		private Duration lingerTimeout = Duration.ofSeconds(5);

		public Tcp() {
			super(7070, Duration.ofMinutes(5));
		}

		public Duration getLingerTimeout() {
			return this.lingerTimeout;
		}

		public void setLingerTimeout(Duration lingerTimeout) {
			this.lingerTimeout = lingerTimeout;
		}

	}

	/** WebSocket listener. */
	public static class WebSocket extends Listener {

		/**
		 * Largest message accepted, after joining continuation frames. A larger frame or
		 * message closes the connection with status 1009 (message too big).
		 */
		@Positive
		private DataSize maxMessageSize = DataSize.ofKilobytes(64);

		/**
		 * Origins allowed to open a WebSocket, for example {@code https://example.com},
		 * or {@code *} for any; a handshake from any other origin, or without one (see
		 * {@code allow-missing-origin}), is answered 403. Empty allows every handshake.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/**
		 * Whether a handshake without an {@code Origin} header (a client that is not a
		 * browser page) is allowed when {@code allowed-origins} is set.
		 */
		private boolean allowMissingOrigin;

		/**
		 * Outbound bytes that may wait for a client that reads too slowly; past this the
		 * client is disconnected with status 1013 (try again later) so that it cannot
		 * grow the server's memory.
		 */
		@Positive
		private DataSize maxPendingOutbound = DataSize.ofMegabytes(4);

		/**
		 * How long a client disconnected for reading too slowly has to take the data
		 * queued for it and the 1013 close frame after it; past this the connection is
		 * dropped without the close frame.
		 */
		@PositiveOrZero
		private Duration slowReaderCloseTimeout = Duration.ofSeconds(10);

		/**
		 * Whether to offer the permessage-deflate extension (RFC 7692). Inflated frames
		 * and messages are held to {@code max-message-size} like uncompressed ones: a
		 * frame inflating past it closes the connection with 1009.
		 */
		private boolean compression;

		/**
		 * Longest time a client may take to send its opening handshake request, from its
		 * first byte to its last; a client that trickles it is answered 408 and closed.
		 * Zero disables the deadline.
		 */
		@PositiveOrZero
		private Duration handshakeTimeout = Duration.ofSeconds(10);

		public WebSocket() {
			super(9000, Duration.ofMinutes(30));
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		public boolean isAllowMissingOrigin() {
			return this.allowMissingOrigin;
		}

		public void setAllowMissingOrigin(boolean allowMissingOrigin) {
			this.allowMissingOrigin = allowMissingOrigin;
		}

		public DataSize getMaxPendingOutbound() {
			return this.maxPendingOutbound;
		}

		public void setMaxPendingOutbound(DataSize maxPendingOutbound) {
			this.maxPendingOutbound = maxPendingOutbound;
		}

		public Duration getSlowReaderCloseTimeout() {
			return this.slowReaderCloseTimeout;
		}

		public void setSlowReaderCloseTimeout(Duration slowReaderCloseTimeout) {
			this.slowReaderCloseTimeout = slowReaderCloseTimeout;
		}

		public boolean isCompression() {
			return this.compression;
		}

		public void setCompression(boolean compression) {
			this.compression = compression;
		}

		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

	}

	/** HTTP/1.1 listener. */
	public static class Http extends Listener {

		/** Largest request body accepted; a larger one is answered 413. */
		@PositiveOrZero
		private DataSize maxRequestSize = DataSize.ofMegabytes(1);

		/**
		 * Largest request line plus headers accepted; larger ones are answered 431 (or
		 * 414 for the URI).
		 */
		@Positive
		private DataSize maxHeaderSize = DataSize.ofKilobytes(8);

		/**
		 * Time a client has from the first byte of a request head to its end; slower ones
		 * are answered 408 and closed. Zero for no limit.
		 */
		@PositiveOrZero
		private Duration requestHeaderTimeout = Duration.ofSeconds(10);

		/**
		 * Time a client has from the end of a request head to the end of its body,
		 * however it trickles; slower ones are answered 408 and closed. Zero for no
		 * limit.
		 */
		@PositiveOrZero
		private Duration requestBodyTimeout = Duration.ofSeconds(30);

		public Http() {
			super(8000, Duration.ofSeconds(60));
		}

		public Duration getRequestHeaderTimeout() {
			return this.requestHeaderTimeout;
		}

		public void setRequestHeaderTimeout(Duration requestHeaderTimeout) {
			this.requestHeaderTimeout = requestHeaderTimeout;
		}

		public Duration getRequestBodyTimeout() {
			return this.requestBodyTimeout;
		}

		public void setRequestBodyTimeout(Duration requestBodyTimeout) {
			this.requestBodyTimeout = requestBodyTimeout;
		}

		public DataSize getMaxRequestSize() {
			return this.maxRequestSize;
		}

		public void setMaxRequestSize(DataSize maxRequestSize) {
			this.maxRequestSize = maxRequestSize;
		}

		public DataSize getMaxHeaderSize() {
			return this.maxHeaderSize;
		}

		public void setMaxHeaderSize(DataSize maxHeaderSize) {
			this.maxHeaderSize = maxHeaderSize;
		}

	}

	/**
	 * WebTransport (HTTP/3 over QUIC) listener. Without {@code ssl.bundle} it generates a
	 * development certificate at start (ECDSA P-256, valid 10 days) that browsers accept
	 * through {@code serverCertificateHashes}; its SHA-256 is logged and published as
	 * {@code local.stamp.webtransport.certificate-hash}.
	 */
	public static class WebTransport extends Listener {

		/** Sessions allowed at once over all connections; more are answered 503. */
		@Positive
		private int maxSessions = 10_000;

		/** Sessions allowed at once on one connection; more are answered 503. */
		@Positive
		private int maxSessionsPerConnection = 16;

		/**
		 * Streams the peer may open per session (QUIC stream credit); further ones are
		 * refused.
		 */
		@PositiveOrZero
		private int maxStreamsPerSession = 100;

		/**
		 * Largest datagram payload accepted or sent; larger ones are refused with a clear
		 * error.
		 */
		@PositiveOrZero
		private DataSize maxDatagramSize = DataSize.ofBytes(65_535);

		/** Time a client has to complete the QUIC and TLS handshake. */
		@PositiveOrZero
		private Duration handshakeTimeout = Duration.ofSeconds(10);

		/**
		 * Event loops serving QUIC, each with its own UDP socket on the port
		 * (SO_REUSEPORT, Linux epoll only). 0 means one per available processor with
		 * epoll and 1 elsewhere.
		 */
		@PositiveOrZero
		private int eventLoopThreads;

		/**
		 * Whether new connections must first prove their address with a Retry round trip
		 * and a signed token. Costs one round trip per connection; useful against spoofed
		 * floods.
		 */
		private boolean addressValidation;

		/**
		 * Directory for a qlog trace of every QUIC connection (JSON-SEQ, readable with
		 * qvis): packets, frames, losses and congestion state. For diagnosing
		 * interoperability and loss; costs CPU and disk per connection. Unset (the
		 * default) writes no traces.
		 */
		private Path qlogDirectory;

		/**
		 * Kernel receive buffer of each UDP socket (SO_RCVBUF), shared by all of the
		 * socket's connections: packets that arrive while it is full are dropped and must
		 * be resent, so raise it for bursts (many clients at once, large uploads). Capped
		 * by the kernel at net.core.rmem_max, with a warning at start-up. Unset uses the
		 * system's default.
		 */
		@PositiveOrZero
		private DataSize socketReceiveBuffer;

		/**
		 * Kernel send buffer of each UDP socket (SO_SNDBUF). Capped by the kernel at
		 * net.core.wmem_max, with a warning at start-up. Unset uses the system's default.
		 */
		@PositiveOrZero
		private DataSize socketSendBuffer;

		/**
		 * Origins allowed to open a session, for example {@code https://example.com}, or
		 * {@code *} for any; a session request from any other origin, or without one (see
		 * {@code allow-missing-origin}), is answered 403. Empty allows every request.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/**
		 * Whether a session request without an {@code Origin} header (a client that is
		 * not a browser page) is allowed when {@code allowed-origins} is set.
		 */
		private boolean allowMissingOrigin;

		/**
		 * Path of a built-in echo endpoint (streams and datagrams echoed), for example
		 * {@code /echo}; unset adds none.
		 */
		private String echoPath;

		/**
		 * Path of a built-in health endpoint that sends one JSON status message and
		 * closes, for example {@code /health}; unset adds none.
		 */
		private String healthPath;

		public WebTransport() {
			super(4433, Duration.ofSeconds(30));
		}

		public int getMaxSessions() {
			return this.maxSessions;
		}

		public void setMaxSessions(int maxSessions) {
			this.maxSessions = maxSessions;
		}

		public int getMaxSessionsPerConnection() {
			return this.maxSessionsPerConnection;
		}

		public void setMaxSessionsPerConnection(int maxSessionsPerConnection) {
			this.maxSessionsPerConnection = maxSessionsPerConnection;
		}

		public int getMaxStreamsPerSession() {
			return this.maxStreamsPerSession;
		}

		public void setMaxStreamsPerSession(int maxStreamsPerSession) {
			this.maxStreamsPerSession = maxStreamsPerSession;
		}

		public DataSize getMaxDatagramSize() {
			return this.maxDatagramSize;
		}

		public int getEventLoopThreads() {
			return this.eventLoopThreads;
		}

		public void setEventLoopThreads(int eventLoopThreads) {
			this.eventLoopThreads = eventLoopThreads;
		}

		public boolean isAddressValidation() {
			return this.addressValidation;
		}

		public void setAddressValidation(boolean addressValidation) {
			this.addressValidation = addressValidation;
		}

		public Path getQlogDirectory() {
			return this.qlogDirectory;
		}

		public void setQlogDirectory(Path qlogDirectory) {
			this.qlogDirectory = qlogDirectory;
		}

		public DataSize getSocketReceiveBuffer() {
			return this.socketReceiveBuffer;
		}

		public void setSocketReceiveBuffer(DataSize socketReceiveBuffer) {
			this.socketReceiveBuffer = socketReceiveBuffer;
		}

		public DataSize getSocketSendBuffer() {
			return this.socketSendBuffer;
		}

		public void setSocketSendBuffer(DataSize socketSendBuffer) {
			this.socketSendBuffer = socketSendBuffer;
		}

		public void setMaxDatagramSize(DataSize maxDatagramSize) {
			this.maxDatagramSize = maxDatagramSize;
		}

		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		public boolean isAllowMissingOrigin() {
			return this.allowMissingOrigin;
		}

		public void setAllowMissingOrigin(boolean allowMissingOrigin) {
			this.allowMissingOrigin = allowMissingOrigin;
		}

		public String getEchoPath() {
			return this.echoPath;
		}

		public void setEchoPath(String echoPath) {
			this.echoPath = echoPath;
		}

		public String getHealthPath() {
			return this.healthPath;
		}

		public void setHealthPath(String healthPath) {
			this.healthPath = healthPath;
		}

	}

	/** Graceful shutdown of every listener. */
	public static class Shutdown {

		/**
		 * How long in-flight work may take to finish once the application stops:
		 * listeners stop accepting at once, then wait up to this long for handlers and
		 * requests before closing what is left. Keep it below
		 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
		 */
		@PositiveOrZero
		private Duration gracePeriod = Duration.ofSeconds(20);

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

	}

	/**
	 * Threads for blocking handlers. On Java 21 and later every blocking handler call
	 * runs on its own virtual thread and these settings are not used.
	 */
	public static class Blocking {

		/** Platform threads that run blocking handlers on Java 17 to 20. */
		@Positive
		private int maxThreads = 200;

		/**
		 * Handler calls that may wait for a free platform thread before new ones are
		 * refused.
		 */
		@PositiveOrZero
		private int queueCapacity = 1000;

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

	/** The monitor that samples listeners, keeps history and raises alerts. */
	public static class Monitor {

		/** Whether the monitor samples the listeners. */
		private boolean enabled = true;

		/** How often the monitor samples every listener. */
		@Positive
		private Duration interval = Duration.ofSeconds(30);

		/** Samples kept in the history. */
		@Positive
		private int historySize = 100;

		/** Alerts kept. */
		@Positive
		private int alertHistorySize = 25;

		/**
		 * Share of max-connections in use (0 to 1) from which the monitor raises a
		 * warning.
		 */
		@DecimalMin("0")
		@DecimalMax("1")
		private double utilizationThreshold = 0.9;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getHistorySize() {
			return this.historySize;
		}

		public void setHistorySize(int historySize) {
			this.historySize = historySize;
		}

		public int getAlertHistorySize() {
			return this.alertHistorySize;
		}

		public void setAlertHistorySize(int alertHistorySize) {
			this.alertHistorySize = alertHistorySize;
		}

		public double getUtilizationThreshold() {
			return this.utilizationThreshold;
		}

		public void setUtilizationThreshold(double utilizationThreshold) {
			this.utilizationThreshold = utilizationThreshold;
		}

	}

	/** Built-in middleware, applied before requests reach their routes. */
	public static class Middleware {

		@Valid
		private final RateLimit rateLimit = new RateLimit();

		private final Logging logging = new Logging();

		public RateLimit getRateLimit() {
			return this.rateLimit;
		}

		public Logging getLogging() {
			return this.logging;
		}

		/**
		 * Per-client rate limiting: requests over the limit are answered 429 (TCP:
		 * closed).
		 */
		public static class RateLimit {

			/** Whether requests are rate limited per client address. */
			private boolean enabled;

			/**
			 * Requests (handshakes, HTTP requests, sessions, connections) allowed per
			 * client address, protocol and window.
			 */
			@Positive
			private int maxRequests = 100;

			/** Length of the rate-limit window. */
			@Positive
			private Duration window = Duration.ofSeconds(60);

			/** Protocols whose requests are limited; all of them by default. */
			private Set<StampProtocol> protocols = EnumSet.of(StampProtocol.TCP, StampProtocol.WEBSOCKET,
					StampProtocol.HTTP, StampProtocol.WEBTRANSPORT);

			/**
			 * Client addresses tracked at most in memory (with scope 'cluster', by the
			 * local count used while Redis is away); when the table is full of live
			 * windows new clients are refused, so a flood of addresses cannot exhaust
			 * memory.
			 */
			@Positive
			private int maxTrackedClients = 100_000;

			/**
			 * Where requests are counted: 'local' counts on each node on its own;
			 * 'cluster' counts on Redis for every node together (needs
			 * stamp.cluster.enabled=true).
			 */
			private Scope scope = Scope.LOCAL;

			/**
			 * With scope 'cluster', how long a request waits for Redis' count at most;
			 * past it, or when Redis fails, the node counts on its own until Redis
			 * answers again.
			 */
			@Positive
			private Duration clusterTimeout = Duration.ofMillis(100);

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public int getMaxRequests() {
				return this.maxRequests;
			}

			public void setMaxRequests(int maxRequests) {
				this.maxRequests = maxRequests;
			}

			public Duration getWindow() {
				return this.window;
			}

			public void setWindow(Duration window) {
				this.window = window;
			}

			public Set<StampProtocol> getProtocols() {
				return this.protocols;
			}

			public void setProtocols(Set<StampProtocol> protocols) {
				this.protocols = protocols;
			}

			public int getMaxTrackedClients() {
				return this.maxTrackedClients;
			}

			public void setMaxTrackedClients(int maxTrackedClients) {
				this.maxTrackedClients = maxTrackedClients;
			}

			public Scope getScope() {
				return this.scope;
			}

			public void setScope(Scope scope) {
				this.scope = scope;
			}

			public Duration getClusterTimeout() {
				return this.clusterTimeout;
			}

			public void setClusterTimeout(Duration clusterTimeout) {
				this.clusterTimeout = clusterTimeout;
			}

			/**
			 * Where a rate limit's requests are counted.
			 */
			public enum Scope {

				/**
				 * On each node, in memory: a client may make the limit's requests on
				 * every node.
				 */
				LOCAL,

				/** On Redis, shared by every node of the cluster. */
				CLUSTER

			}

		}

		/** Request logging. */
		public static class Logging {

			/**
			 * Whether every request is logged at INFO (protocol, path, client, origin,
			 * user agent).
			 */
			private boolean enabled;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

		}

	}

	/**
	 * Topics ({@code StampTopics}): what a subscriber may buffer.
	 */
	public static class Topics {

		/**
		 * Messages a subscriber, or a WebTransport session's topic stream, may fall
		 * behind by; one that falls further is cut off (a TopicOverflowException, a
		 * stream reset with 1013), never slowing the others.
		 */
		@Positive
		private int subscriberBufferSize = 256;

		public int getSubscriberBufferSize() {
			return this.subscriberBufferSize;
		}

		public void setSubscriberBufferSize(int subscriberBufferSize) {
			this.subscriberBufferSize = subscriberBufferSize;
		}

	}

}
