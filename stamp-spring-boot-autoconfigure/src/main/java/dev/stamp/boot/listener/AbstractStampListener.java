package dev.stamp.boot.listener;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.middleware.MiddlewareDecision;
import dev.stamp.boot.middleware.StampRequest;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.boot.routing.StampRoutes;
import dev.stamp.core.PeerErrors;

/**
 * The lifecycle every Stamp listener shares, whatever carries its protocol: start only
 * when there is something to serve (routes, or {@code enabled: true}), take the routes
 * once, publish the bound port, stop gracefully and withdraw the port. Subclasses bind
 * and unbind their transport.
 */
public abstract class AbstractStampListener implements StampListener {

	protected final Log logger = LogFactory.getLog(getClass());

	private final StampProtocol protocol;

	private final ListenerSettings settings;

	private final ListenerContext context;

	private final StampRoutes routes;

	private final PeerErrors peerErrors;

	private volatile int boundPort = -1;

	private volatile boolean stopping;

	private boolean routesUsed;

	private volatile boolean middlewareApplies;

	private volatile CountDownLatch unbound;

	private volatile String name;

	private volatile String propertyPrefix;

	private volatile String portProperty;

	private final Set<String> published = ConcurrentHashMap.newKeySet();

	protected AbstractStampListener(StampProtocol protocol, ListenerSettings settings, StampRoutes routes,
			ListenerContext context) {
		this.protocol = protocol;
		this.settings = settings;
		this.routes = routes;
		this.context = context;
		this.peerErrors = new PeerErrors("Stamp " + protocol.id() + " listener");
		this.name = protocol.id();
		this.propertyPrefix = "local.stamp." + protocol.id() + ".";
		this.portProperty = "stamp." + protocol.id() + ".port";
	}

	/**
	 * Makes this listener the protocol's additional listener number {@code index}: it is
	 * named {@code <protocol>-<index>} and publishes its port as
	 * {@code local.stamp.<protocol>.additional-listeners[<index>].port}. The
	 * {@link StampListenerRegistry} calls it before the listener first starts.
	 * @param index the index, from 0
	 */
	public void useAdditionalIndex(int index) {
		if (this.boundPort >= 0) {
			throw new IllegalStateException("Listener " + this.name + " is running: name it before it starts");
		}
		this.name = this.protocol.id() + "-" + index;
		this.propertyPrefix = ListenerPorts.additionalPrefix(this.protocol, index);
		this.portProperty = "stamp." + this.protocol.id() + ".additional-listeners[" + index + "].port";
	}

	/**
	 * Takes the application's routes for this protocol, checking their signatures. Called
	 * once, when the listener starts: routes are discovered while beans are created, so
	 * they are complete only then.
	 * @param routes the routes; may be empty when the listener is enabled explicitly
	 * @throws IllegalStateException if a route cannot be served
	 */
	protected abstract void useRoutes(List<RouteMethod> routes);

	/**
	 * Binds the transport.
	 * @param sslBundle the configured SSL bundle, or {@code null}
	 * @return the bound port
	 */
	protected abstract int bind(@Nullable SslBundle sslBundle);

	/**
	 * Stops accepting, lets in-flight work finish within the grace period, then closes
	 * what is left.
	 * @param done to run once everything is closed; must be called exactly once
	 */
	protected abstract void unbind(Runnable done);

	@Override
	public void start() {
		if (this.boundPort >= 0) {
			return;
		}
		Boolean enabled = this.settings.getEnabled();
		if (Boolean.FALSE.equals(enabled)) {
			this.logger
				.info(this.protocol.id() + " listener disabled by stamp." + this.protocol.id() + ".enabled=false");
			return;
		}
		List<RouteMethod> declared = this.routes.forProtocol(this.protocol);
		if (enabled == null && declared.isEmpty()) {
			this.logger.debug("No " + this.protocol.id() + " routes: listener not started");
			return;
		}
		this.middlewareApplies = this.context.middleware().appliesTo(this.protocol);
		if (!this.routesUsed) {
			useRoutes(declared);
			this.routesUsed = true;
		}
		this.stopping = false;
		int port = bindReportingPortInUse(sslBundle());
		this.boundPort = port;
		publish("port", port);
		keepJvmAlive();
		this.context.events().publishEvent(new StampListenerStartedEvent(this, port));
		this.logger.info("Stamp " + this.name + " listener started on " + this.settings.getHost() + ":" + port
				+ (isSecure() ? " (TLS)" : ""));
		for (RouteMethod route : routes()) {
			this.logger.info("Stamp " + this.protocol.id() + " route " + route.summary());
		}
	}

	private int bindReportingPortInUse(@Nullable SslBundle sslBundle) {
		try {
			return bind(sslBundle);
		}
		catch (Exception ex) {
			// Netty rethrows a checked BindException from sync() undeclared.
			if (ListenerPortInUseException.isPortInUse(ex)) {
				throw new ListenerPortInUseException(this.protocol, this.settings.getHost(), this.settings.getPort(),
						this.portProperty, ex);
			}
			throw ex;
		}
	}

	/**
	 * Stamp's event loops are daemon threads, so an application whose only servers are
	 * Stamp listeners would exit as soon as {@code main} returns. Like Spring Boot's own
	 * Netty web server, a non-daemon thread waits until the listener is stopped.
	 */
	private void keepJvmAlive() {
		CountDownLatch latch = new CountDownLatch(1);
		this.unbound = latch;
		Thread await = new Thread(() -> {
			try {
				latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "stamp-" + this.protocol.id() + "-await");
		await.setContextClassLoader(getClass().getClassLoader());
		await.setDaemon(false);
		await.start();
	}

	private SslBundle sslBundle() {
		String bundleName = this.settings.getSslBundle();
		if (bundleName == null) {
			return null;
		}
		SslBundles bundles = this.context.sslBundles();
		if (bundles == null) {
			throw new IllegalStateException("stamp." + this.protocol.id() + ".ssl.bundle is set to '" + bundleName
					+ "' but no SslBundles bean is available");
		}
		return bundles.getBundle(bundleName);
	}

	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await(this.context.gracePeriod().toMillis() + 5_000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop(Runnable callback) {
		if (this.boundPort < 0) {
			callback.run();
			return;
		}
		this.stopping = true;
		int port = this.boundPort;
		unbind(() -> {
			this.boundPort = -1;
			this.published.forEach(this.context.ports()::withdraw);
			this.published.clear();
			this.unbound.countDown();
			this.logger.info("Stamp " + this.name + " listener stopped");
			try {
				this.context.events().publishEvent(new StampListenerStoppedEvent(this, port));
			}
			finally {
				callback.run();
			}
		});
	}

	/**
	 * Publishes a fact about this running listener as
	 * {@code local.stamp.<protocol>.<key>} (additional listeners:
	 * {@code local.stamp.<protocol>.additional-listeners[<index>].<key>}), withdrawn when
	 * it stops.
	 * @param key the property name after the listener's prefix, such as {@code port}
	 * @param value the value
	 */
	protected void publish(String key, Object value) {
		String property = this.propertyPrefix + key;
		this.published.add(property);
		this.context.ports().publish(property, value);
	}

	/**
	 * Whether the listener is shutting down: new work should be refused and finished
	 * connections closed.
	 * @return {@code true} once stopping
	 */
	protected boolean isStopping() {
		return this.stopping;
	}

	/**
	 * Whether any middleware looks at this protocol's requests; if not, listeners skip
	 * building requests.
	 * @return {@code true} if middleware applies
	 */
	protected boolean hasMiddleware() {
		return this.middlewareApplies;
	}

	/**
	 * Runs a request through the middleware chain; the decision is signalled on whatever
	 * thread the last middleware finished on, so the caller hops to its own (as the
	 * WebTransport engine does with a session decision).
	 * @param request the request
	 * @return the chain's decision
	 */
	protected Mono<MiddlewareDecision> applyMiddleware(StampRequest request) {
		return this.context.middleware().evaluate(request);
	}

	/**
	 * Runs a request through the middleware chain; the decision is signalled on the
	 * connection's event loop, whichever thread an asynchronous middleware finished on (a
	 * Redis client's, a timer's), so that what follows runs where the connection's
	 * handlers expect it.
	 * @param request the request
	 * @param channel the request's connection
	 * @return the chain's decision
	 */
	protected Mono<MiddlewareDecision> applyMiddleware(StampRequest request, Channel channel) {
		EventLoop eventLoop = channel.eventLoop();
		return applyMiddleware(request).flatMap((decision) -> eventLoop.inEventLoop() ? Mono.just(decision)
				: Mono.just(decision).publishOn(Schedulers.fromExecutor(eventLoop)));
	}

	/**
	 * {@code middleware.refused}: requests of this protocol the middleware chain refused
	 * (origin checks, rate limits, application middleware).
	 */
	@Override
	public Map<String, Long> counters() {
		return Map.of("middleware.refused", this.context.middleware().refusals(this.protocol));
	}

	@Override
	public boolean isRunning() {
		return this.boundPort >= 0;
	}

	@Override
	public boolean isConfigured() {
		Boolean enabled = this.settings.getEnabled();
		return Boolean.TRUE.equals(enabled) || (enabled == null && !routes().isEmpty());
	}

	@Override
	public List<RouteMethod> routes() {
		return this.routes.forProtocol(this.protocol);
	}

	@Override
	public boolean isSecure() {
		return this.settings.getSslBundle() != null;
	}

	@Override
	public String host() {
		return this.settings.getHost();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public StampProtocol protocol() {
		return this.protocol;
	}

	@Override
	public int port() {
		return this.boundPort;
	}

	@Override
	public PeerErrors peerErrors() {
		return this.peerErrors;
	}

	protected ListenerContext context() {
		return this.context;
	}

	@Override
	public ListenerSettings settings() {
		return this.settings;
	}

}
