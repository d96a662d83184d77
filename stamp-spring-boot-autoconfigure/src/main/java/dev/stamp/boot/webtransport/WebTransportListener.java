package dev.stamp.boot.webtransport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.net.ssl.KeyManagerFactory;

import org.springframework.boot.ssl.SslBundle;

import dev.stamp.boot.StampProperties;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.listener.AbstractStampListener;
import dev.stamp.boot.listener.ConnectionPage;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.middleware.OriginPolicy;
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
 * from the origin policy, the middleware chain and the routes, in that order: 403 for an
 * origin not allowed, the middleware's status when it refuses, 404 when no route matches,
 * otherwise 200 and the route's handler gets the session. The engine itself answers 503
 * over {@code max-sessions} and during shutdown.
 */
public class WebTransportListener extends AbstractStampListener {

	/**
	 * Published with the bound port when the listener serves a generated development
	 * certificate.
	 */
	public static final String CERTIFICATE_HASH_PROPERTY = "local.stamp.webtransport.certificate-hash";

	private final StampProperties.WebTransport properties;

	private final PathRouter<WebTransportRoute> router = new PathRouter<>();

	private final OriginPolicy origins;

	private volatile WebTransportServer server;

	public WebTransportListener(StampProperties.WebTransport properties, StampRoutes routes, ListenerContext context) {
		super(StampProtocol.WEBTRANSPORT, properties, routes, context);
		this.properties = properties;
		this.origins = new OriginPolicy(properties.getAllowedOrigins());
	}

	@Override
	protected void useRoutes(List<RouteMethod> routes) {
		rejectClashesWithBuiltInRoutes(routes);
		for (RouteMethod route : routes) {
			this.router.add(route.path(), new WebTransportRoute(route));
		}
	}

	/**
	 * Checked before the router sees the routes, so that a clash with a built-in route
	 * names the property that placed it rather than reading as a duplicate route.
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

	private static String builtInProperty(RouteMethod route) {
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
	protected int bind(SslBundle sslBundle) {
		WebTransportServerConfig.Builder config = WebTransportServerConfig.builder(this::decide)
			.host(this.properties.getHost())
			.port(this.properties.getPort())
			.maxConnections(this.properties.getMaxConnections())
			.maxSessions(this.properties.getMaxSessions())
			.maxSessionsPerConnection(this.properties.getMaxSessionsPerConnection())
			.maxStreamsPerSession(this.properties.getMaxStreamsPerSession())
			.maxDatagramPayloadSize((int) this.properties.getMaxDatagramSize().toBytes())
			.idleTimeout(this.properties.getIdleTimeout())
			.handshakeTimeout(this.properties.getHandshakeTimeout())
			.eventLoopThreads(this.properties.getEventLoopThreads())
			.addressValidation(this.properties.isAddressValidation())
			.qlogDirectory(this.properties.getQlogDirectory())
			.peerErrors(peerErrors())
			.shutdownGracePeriod(context().gracePeriod())
			.blockingExecutor(context().blockingHandlers().executor());
		if (sslBundle != null) {
			KeyManagerFactory keyManagers = sslBundle.getManagers().getKeyManagerFactory();
			config.keyManagerFactory(keyManagers, sslBundle.getKey().getPassword());
		}
		WebTransportServer started = new WebTransportServer(config.build()).start();
		this.server = started;
		DevelopmentCertificate certificate = started.developmentCertificate();
		if (certificate != null) {
			context().ports().publish(CERTIFICATE_HASH_PROPERTY, certificate.sha256Base64());
			this.logger.info("WebTransport serves a generated development certificate valid until "
					+ certificate.certificate().getNotAfter().toInstant() + "; SHA-256 (for serverCertificateHashes): "
					+ certificate.sha256Base64());
		}
		return started.localAddress().getPort();
	}

	/**
	 * Decides about one extended CONNECT; runs on the connection's event loop, so nothing
	 * here blocks.
	 */
	private CompletionStage<SessionDecision> decide(SessionRequest request) {
		if (!this.origins.allows(request.origin())) {
			return CompletableFuture.completedFuture(SessionDecision.reject(403, "Origin not allowed"));
		}
		if (!hasMiddleware()) {
			return CompletableFuture.completedFuture(route(request, Map.of()));
		}
		StampRequest stampRequest = new StampRequest(StampProtocol.WEBTRANSPORT, request.remoteAddress(),
				request.path(), request.headers());
		return applyMiddleware(stampRequest)
			.map((decision) -> decision.isRejected() ? SessionDecision.reject(decision.status(), decision.reason())
					: route(request, stampRequest.attributes()))
			.toFuture();
	}

	private SessionDecision route(SessionRequest request, Map<String, Object> attributes) {
		PathRouter.Match<WebTransportRoute> match = this.router.match(request.path());
		if (match == null) {
			return SessionDecision.reject(404, "No WebTransport endpoint here");
		}
		Map<String, String> pathParams = new LinkedHashMap<>();
		List<String> parameters = match.pathParameters();
		for (int i = 0; i < parameters.size(); i++) {
			pathParams.put(Integer.toString(i), parameters.get(i));
		}
		WebTransportRoute route = match.target();
		return route.isReactive() ? SessionDecision.accept(route.reactiveHandler(), pathParams, attributes)
				: SessionDecision.acceptBlocking(route.blockingHandler(), pathParams, attributes);
	}

	@Override
	protected void unbind(Runnable done) {
		WebTransportServer running = this.server;
		// The engine's graceful shutdown blocks for up to the grace period: keep it off
		// the caller's thread so that
		// Spring stops the other listeners at the same time.
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
				: new ConnectionStats(protocol().id(), this.properties.getMaxConnections(), 0, 0, 0);
	}

	/**
	 * The engine's counters (sessions, streams, datagrams, refusals), or {@code null}
	 * when not running.
	 */
	public WebTransportStats webTransportStats() {
		WebTransportServer running = this.server;
		return (running != null) ? running.statistics() : null;
	}

	/**
	 * The SHA-256 of the generated development certificate, base64, or {@code null} with
	 * an SSL bundle.
	 */
	public String certificateHash() {
		WebTransportServer running = this.server;
		DevelopmentCertificate certificate = (running != null) ? running.developmentCertificate() : null;
		return (certificate != null) ? certificate.sha256Base64() : null;
	}

	@Override
	public Map<String, Long> counters() {
		WebTransportStats stats = webTransportStats();
		Map<String, Long> counters = new LinkedHashMap<>();
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
