package dev.stamp.boot.webtransport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.net.ssl.KeyManagerFactory;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.unit.DataSize;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.listener.AbstractStampListener;
import dev.stamp.boot.listener.ConnectionPage;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.middleware.MiddlewareDecision;
import dev.stamp.boot.middleware.StampRequest;
import dev.stamp.boot.routing.PathRouter;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.boot.routing.StampRoutes;
import dev.stamp.core.ConnectionStats;
import dev.stamp.webtransport.WebTransportStats;
import dev.stamp.webtransport.server.SessionDecision;
import dev.stamp.webtransport.server.SessionRequest;
import dev.stamp.webtransport.server.WebTransportServer;
import dev.stamp.webtransport.server.WebTransportServerConfig;
import dev.stamp.webtransport.tls.DevelopmentCertificate;

/**
 * The WebTransport listener: runs Stamp's HTTP/3 engine and answers each extended CONNECT
 * from the middleware chain (the origin check of {@code allowed-origins} first) and the
 * routes, in that order: the middleware's status when it refuses (403 for an origin not
 * allowed), 404 when no route matches, otherwise 200 and the route's handler gets the
 * session. The engine itself answers 503 over {@code max-sessions} and during shutdown.
 */
public class WebTransportListener extends AbstractStampListener {

	/**
	 * Published with the bound port when the main listener serves a generated development
	 * certificate; additional listeners publish
	 * {@code local.stamp.webtransport.additional-listeners[<index>].certificate-hash}.
	 */
	public static final String CERTIFICATE_HASH_PROPERTY = "local.stamp.webtransport.certificate-hash";

	private final WebTransportListenerSettings settings;

	private final PathRouter<WebTransportRoute> router = new PathRouter<>((route) -> route.method().describe());

	private final List<WebTransportServerCustomizer> customizers;

	private final WebTransportSessions sessions;

	private volatile @Nullable WebTransportServer server;

	/**
	 * Creates a listener whose engine is configured by its settings alone.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param context shared listener infrastructure
	 */
	public WebTransportListener(WebTransportListenerSettings settings, StampRoutes routes, ListenerContext context) {
		this(settings, routes, context, List.of());
	}

	/**
	 * Creates a listener.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param context shared listener infrastructure
	 * @param customizers applied in turn to the engine's configuration after its settings
	 */
	public WebTransportListener(WebTransportListenerSettings settings, StampRoutes routes, ListenerContext context,
			List<WebTransportServerCustomizer> customizers) {
		this(settings, routes, context, customizers, new WebTransportSessions());
	}

	/**
	 * Creates a listener whose sessions join a registry that may be shared with other
	 * WebTransport listeners.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param context shared listener infrastructure
	 * @param customizers applied in turn to the engine's configuration after its settings
	 * @param sessions where the listener's sessions are listed while open
	 */
	public WebTransportListener(WebTransportListenerSettings settings, StampRoutes routes, ListenerContext context,
			List<WebTransportServerCustomizer> customizers, WebTransportSessions sessions) {
		super(StampProtocol.WEBTRANSPORT, settings, routes, context);
		this.settings = settings;
		this.customizers = List.copyOf(customizers);
		this.sessions = sessions;
	}

	@Override
	protected void useRoutes(List<RouteMethod> routes) {
		rejectClashesWithBuiltInRoutes(routes);
		for (RouteMethod route : routes) {
			this.router.add(route.path(), new WebTransportRoute(route, this.sessions));
		}
	}

	/**
	 * Checked before the router sees the routes, so that a clash with a built-in route
	 * names the property that placed it rather than reading as a duplicate route.
	 * @param routes the routes of this listener, built-in ones included
	 */
	private static void rejectClashesWithBuiltInRoutes(List<RouteMethod> routes) {
		for (RouteMethod builtIn : routes) {
			String property = builtInProperty(builtIn);
			if (property == null) {
				continue;
			}
			for (RouteMethod route : routes) {
				if (builtInProperty(route) == null && route.path().equals(builtIn.path())) {
					throw new BuiltInPathClashException(route.path(), property, route.describe());
				}
			}
		}
	}

	/**
	 * A socket buffer size for the engine, where 0 keeps the system's default. Sizes
	 * beyond an {@code int} are clamped: the kernel caps them far below that anyway, and
	 * the engine warns that it did.
	 * @param size the configured size, or {@code null}
	 * @return the size in bytes
	 */
	private static int bytes(@Nullable DataSize size) {
		return (size != null) ? (int) Math.min(size.toBytes(), Integer.MAX_VALUE) : 0;
	}

	private static @Nullable String builtInProperty(RouteMethod route) {
		Class<?> declaringClass = route.method().getDeclaringClass();
		if (declaringClass == WebTransportEchoRoute.class) {
			return "stamp.webtransport.echo-path";
		}
		if (declaringClass == WebTransportHealthRoute.class) {
			return "stamp.webtransport.health-path";
		}
		return null;
	}

	@Override
	protected int bind(@Nullable SslBundle sslBundle) {
		WebTransportServerConfig.Builder config = WebTransportServerConfig.builder(this::decide)
			.host(this.settings.getHost())
			.port(this.settings.getPort())
			.maxConnections(this.settings.getMaxConnections())
			.maxSessions(this.settings.getMaxSessions())
			.maxSessionsPerConnection(this.settings.getMaxSessionsPerConnection())
			.maxStreamsPerSession(this.settings.getMaxStreamsPerSession())
			.maxDatagramPayloadSize((int) this.settings.getMaxDatagramSize().toBytes())
			.idleTimeout(this.settings.getIdleTimeout())
			.handshakeTimeout(this.settings.getHandshakeTimeout())
			.eventLoopThreads(this.settings.getEventLoopThreads())
			.addressValidation(this.settings.isAddressValidation())
			.qlogDirectory(this.settings.getQlogDirectory())
			.socketReceiveBuffer(bytes(this.settings.getSocketReceiveBuffer()))
			.socketSendBuffer(bytes(this.settings.getSocketSendBuffer()))
			.peerErrors(peerErrors())
			.shutdownGracePeriod(context().gracePeriod())
			.blockingExecutor(context().blockingHandlers().executor());
		if (sslBundle != null) {
			KeyManagerFactory keyManagers = sslBundle.getManagers().getKeyManagerFactory();
			config.keyManagerFactory(keyManagers, sslBundle.getKey().getPassword());
		}
		for (WebTransportServerCustomizer customizer : this.customizers) {
			customizer.customize(config);
		}
		WebTransportServer started = new WebTransportServer(config.build()).start();
		this.server = started;
		DevelopmentCertificate certificate = started.developmentCertificate();
		if (certificate != null) {
			publish("certificate-hash", certificate.sha256Base64());
			this.logger.info("WebTransport serves a generated development certificate valid until "
					+ certificate.certificate().getNotAfter().toInstant() + "; SHA-256 (for serverCertificateHashes): "
					+ certificate.sha256Base64());
		}
		return started.localAddress().getPort();
	}

	/**
	 * Decides about one extended CONNECT; runs on the connection's event loop, so nothing
	 * here blocks.
	 * @param request the session request
	 * @return the decision, once made
	 */
	private CompletionStage<SessionDecision> decide(SessionRequest request) {
		if (!hasMiddleware()) {
			return CompletableFuture.completedFuture(route(request, Map.of()));
		}
		StampRequest stampRequest = new StampRequest(StampProtocol.WEBTRANSPORT, request.remoteAddress(),
				request.path(), request.headers());
		return applyMiddleware(stampRequest).map((decision) -> decision.isRejected() ? refusedByMiddleware(decision)
				: route(request, stampRequest.attributes()))
			.toFuture();
	}

	/**
	 * The status's reason phrase goes to the client, as for the other protocols: a
	 * middleware's reason is for logs only.
	 * @param decision the middleware's rejection
	 * @return the session rejection
	 */
	private static SessionDecision refusedByMiddleware(MiddlewareDecision decision) {
		return SessionDecision.reject(decision.status(), HttpResponseStatus.valueOf(decision.status()).reasonPhrase());
	}

	private SessionDecision route(SessionRequest request, Map<String, Object> attributes) {
		PathRouter.Match<WebTransportRoute> match = this.router.match(request.path());
		if (match == null) {
			return SessionDecision.reject(404, "No WebTransport endpoint here");
		}
		WebTransportRoute route = match.target();
		Map<String, String> pathVariables = match.pathVariables();
		return route.isReactive() ? SessionDecision.accept(route.reactiveHandler(), pathVariables, attributes)
				: SessionDecision.acceptBlocking(route.blockingHandler(), pathVariables, attributes);
	}

	@Override
	protected void unbind(Runnable done) {
		WebTransportServer running = this.server;
		// The engine's graceful shutdown blocks for up to the grace period: keep it off
		// the caller's thread so that Spring stops the other listeners at the same time.
		Thread shutdown = new Thread(() -> {
			try {
				running.shutdownGracefully(context().gracePeriod());
			}
			finally {
				this.server = null;
				done.run();
			}
		}, "stamp-webtransport-shutdown");
		shutdown.setDaemon(true);
		shutdown.start();
	}

	/**
	 * Always: QUIC is TLS, with the configured bundle or a generated development
	 * certificate.
	 */
	@Override
	public boolean isSecure() {
		return true;
	}

	@Override
	public ConnectionStats stats() {
		WebTransportServer running = this.server;
		return (running != null) ? running.statistics().connections()
				: new ConnectionStats(protocol().id(), this.settings.getMaxConnections(), 0, 0, 0);
	}

	/**
	 * The engine's counters (sessions, streams, datagrams, refusals), or {@code null}
	 * when not running.
	 * @return the engine's counters, or {@code null}
	 */
	public @Nullable WebTransportStats webTransportStats() {
		WebTransportServer running = this.server;
		return (running != null) ? running.statistics() : null;
	}

	/**
	 * The SHA-256 of the generated development certificate, base64, or {@code null} with
	 * an SSL bundle.
	 * @return the certificate hash, or {@code null}
	 */
	public @Nullable String certificateHash() {
		WebTransportServer running = this.server;
		DevelopmentCertificate certificate = (running != null) ? running.developmentCertificate() : null;
		return (certificate != null) ? certificate.sha256Base64() : null;
	}

	@Override
	public Map<String, Long> counters() {
		WebTransportStats stats = webTransportStats();
		Map<String, Long> counters = new LinkedHashMap<>(super.counters());
		counters.put("sessions.active", (stats != null) ? stats.activeSessions() : 0);
		counters.put("sessions.accepted", (stats != null) ? stats.acceptedSessions() : 0);
		counters.put("sessions.rejected", (stats != null) ? stats.rejectedSessions() : 0);
		counters.put("streams.incoming", (stats != null) ? stats.incomingStreams() : 0);
		counters.put("streams.outgoing", (stats != null) ? stats.outgoingStreams() : 0);
		counters.put("datagrams.received", (stats != null) ? stats.datagramsReceived() : 0);
		counters.put("datagrams.sent", (stats != null) ? stats.datagramsSent() : 0);
		return counters;
	}

	@Override
	public Map<String, Object> details() {
		WebTransportServer running = this.server;
		if (running == null) {
			return Map.of();
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("statistics", running.statistics());
		String hash = certificateHash();
		if (hash != null) {
			details.put("developmentCertificateSha256", hash);
		}
		details.put("engine", running.engineState());
		return details;
	}

	@Override
	public ConnectionPage connections(long after, int limit) {
		WebTransportServer running = this.server;
		return (running != null) ? ConnectionPage.of(running.connectionStates(after, limit + 1), limit)
				: ConnectionPage.EMPTY;
	}

}
