package dev.stamp.boot.listener;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.DisposableServer;
import reactor.netty.transport.ServerTransport;

import org.springframework.boot.ssl.SslBundles;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.boot.routing.StampRoutes;
import dev.stamp.core.ConnectionRegistry;
import dev.stamp.core.ConnectionStats;

/**
 * A {@link StampListener} on Reactor Netty: binds when the application context starts, admits connections up to
 * {@code max-connections}, and stops gracefully with the context.
 * <p>
 * Graceful stop: the listening socket closes at once, the protocol gets a chance to wind its connections down
 * ({@link #beginGracefulClose()}), and whatever is still open when the grace period ends is closed. Subclasses supply
 * the protocol: how to bind ({@link #bind}) and whether the application gave them anything to serve.
 */
public abstract class ReactorNettyListener implements StampListener {

	/** Set on connections accepted over the limit: the protocol refuses them in its own clean way. */
	public static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("stamp.refused");

	protected final Log logger = LogFactory.getLog(getClass());

	private final StampProtocol protocol;

	private final ListenerProperties properties;

	private final ListenerContext context;

	private final ConnectionRegistry registry;

	private final StampRoutes routes;

	private volatile DisposableServer server;

	private volatile boolean stopping;

	private boolean routesUsed;

	protected ReactorNettyListener(StampProtocol protocol, ListenerProperties properties, StampRoutes routes,
			ListenerContext context) {
		this.protocol = protocol;
		this.routes = routes;
		this.properties = properties;
		this.context = context;
		this.registry = new ConnectionRegistry(protocol.id(), properties.getMaxConnections());
	}

	/**
	 * Takes the application's routes for this protocol, checking their signatures. Called once, when the listener
	 * starts: routes are discovered while beans are created, so they are complete only then.
	 * @param routes the routes; may be empty when the listener is enabled explicitly
	 * @throws IllegalStateException if a route cannot be served
	 */
	protected abstract void useRoutes(List<RouteMethod> routes);

	/**
	 * Binds the protocol's server.
	 * @param sslContext the TLS context, or {@code null} for plain text
	 * @return the bound server
	 */
	protected abstract DisposableServer bind(SslContext sslContext);

	/**
	 * Called once the listening socket is closed during a graceful stop: tell clients to go away (WebSocket close
	 * frames, closing idle HTTP keep-alive connections, ...). Connections that stay open are closed when the grace
	 * period ends.
	 */
	protected void beginGracefulClose() {
	}

	@Override
	public boolean isConfigured() {
		Boolean enabled = this.properties.getEnabled();
		return Boolean.TRUE.equals(enabled)
				|| (enabled == null && !this.routes.forProtocol(this.protocol).isEmpty());
	}

	@Override
	public List<RouteMethod> routes() {
		return this.routes.forProtocol(this.protocol);
	}

	@Override
	public boolean isSecure() {
		return this.properties.getSsl().getBundle() != null;
	}

	@Override
	public String host() {
		return this.properties.getHost();
	}

	@Override
	public void start() {
		if (this.server != null) {
			return;
		}
		Boolean enabled = this.properties.getEnabled();
		if (Boolean.FALSE.equals(enabled)) {
			this.logger.info(this.protocol.id() + " listener disabled by stamp." + this.protocol.id() + ".enabled=false");
			return;
		}
		List<RouteMethod> declared = this.routes.forProtocol(this.protocol);
		if (enabled == null && declared.isEmpty()) {
			this.logger.debug("No " + this.protocol.id() + " routes: listener not started");
			return;
		}
		if (!this.routesUsed) {
			useRoutes(declared);
			this.routesUsed = true;
		}
		this.stopping = false;
		DisposableServer bound = bind(sslContext());
		this.server = bound;
		int port = ((InetSocketAddress) bound.address()).getPort();
		this.context.ports().publish(this.protocol, port);
		this.logger.info("Stamp " + this.protocol.id() + " listener started on " + bound.host() + ":" + port
				+ (this.properties.getSsl().getBundle() != null ? " (TLS)" : ""));
	}

	private SslContext sslContext() {
		String bundleName = this.properties.getSsl().getBundle();
		if (bundleName == null) {
			return null;
		}
		SslBundles bundles = this.context.sslBundles();
		if (bundles == null) {
			throw new IllegalStateException("stamp." + this.protocol.id() + ".ssl.bundle is set to '" + bundleName
					+ "' but no SslBundles bean is available");
		}
		return ServerSslContexts.fromBundle(bundles.getBundle(bundleName));
	}

	/**
	 * Applies what every listener does to a Reactor Netty server: address, event loops, admission of connections
	 * against the limit, and optionally closing idle connections.
	 * @param server the protocol's server
	 * @param closeIdleConnections whether to close connections idle longer than {@code idle-timeout}; protocols
	 * with their own idle handling pass {@code false}
	 * @param <S> the server type
	 * @return the configured server
	 */
	protected <S extends ServerTransport<S, ?>> S configure(S server, boolean closeIdleConnections) {
		Duration idleTimeout = this.properties.getIdleTimeout();
		return server.host(this.properties.getHost())
			.port(this.properties.getPort())
			.runOn(this.context.loopResources())
			.doOnChannelInit((observer, channel, remoteAddress) -> {
				if (!this.registry.tryRegister(channel) || this.stopping) {
					channel.attr(REFUSED).set(Boolean.TRUE);
				}
				if (closeIdleConnections && idleTimeout != null && !idleTimeout.isZero()) {
					IdleConnectionCloser.install(channel.pipeline(), idleTimeout);
				}
			});
	}

	/** Whether a connection was accepted over the limit (or during shutdown) and must be refused. */
	protected static boolean isRefused(Channel channel) {
		return channel.hasAttr(REFUSED) && Boolean.TRUE.equals(channel.attr(REFUSED).get());
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
		DisposableServer bound = this.server;
		if (bound == null) {
			callback.run();
			return;
		}
		this.stopping = true;
		bound.dispose();
		bound.onDispose().block(Duration.ofSeconds(5));
		int open = this.registry.activeConnections();
		if (open > 0) {
			this.logger.info("Stamp " + this.protocol.id() + " listener stopped accepting; waiting up to "
					+ this.context.gracePeriod() + " for " + open + " connection(s)");
		}
		ChannelGroupFuture allClosed = this.registry.channels().newCloseFuture();
		beginGracefulClose();
		ScheduledFuture<?> deadline = GlobalEventExecutor.INSTANCE.schedule(() -> {
			int left = this.registry.activeConnections();
			if (left > 0) {
				this.logger.warn("Grace period of " + this.context.gracePeriod() + " over: closing " + left + " "
						+ this.protocol.id() + " connection(s)");
				this.registry.closeAll();
			}
		}, this.context.gracePeriod().toMillis(), TimeUnit.MILLISECONDS);
		allClosed.addListener((future) -> {
			deadline.cancel(false);
			this.server = null;
			this.context.ports().withdraw(this.protocol);
			this.logger.info("Stamp " + this.protocol.id() + " listener stopped");
			callback.run();
		});
	}

	/** Whether the listener is shutting down: new work should be refused and finished connections closed. */
	protected boolean isStopping() {
		return this.stopping;
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	@Override
	public StampProtocol protocol() {
		return this.protocol;
	}

	@Override
	public int port() {
		DisposableServer bound = this.server;
		return (bound != null) ? ((InetSocketAddress) bound.address()).getPort() : -1;
	}

	public ConnectionRegistry registry() {
		return this.registry;
	}

	@Override
	public ConnectionStats stats() {
		return this.registry.stats();
	}

	protected ListenerContext context() {
		return this.context;
	}

	protected ListenerProperties properties() {
		return this.properties;
	}

}
