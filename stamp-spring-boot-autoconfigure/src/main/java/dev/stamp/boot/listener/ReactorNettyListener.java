package dev.stamp.boot.listener;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import reactor.netty.DisposableServer;
import reactor.netty.transport.ServerTransport;

import org.springframework.boot.ssl.SslBundle;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.routing.StampRoutes;
import dev.stamp.core.ConnectionRegistry;
import dev.stamp.core.ConnectionStats;
import dev.stamp.core.RefusalLog;

/**
 * A {@link StampListener} on Reactor Netty: admits connections up to
 * {@code max-connections} through the shared {@link ConnectionRegistry}, optionally
 * closes idle ones, and stops gracefully.
 * <p>
 * Graceful stop: the listening socket closes at once, the protocol gets a chance to wind
 * its connections down ({@link #beginGracefulClose()}), and whatever is still open when
 * the grace period ends is closed. Subclasses supply the protocol: how to bind
 * ({@link #bind(SslContext)}) and how to serve.
 */
public abstract class ReactorNettyListener extends AbstractStampListener {

	/**
	 * Set on connections accepted over the limit: the protocol refuses them in its own
	 * clean way.
	 */
	public static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("stamp.refused");

	private final ConnectionRegistry registry;

	private final RefusalLog overloadLog;

	private volatile DisposableServer server;

	protected ReactorNettyListener(StampProtocol protocol, ListenerSettings settings, StampRoutes routes,
			ListenerContext context) {
		super(protocol, settings, routes, context);
		this.registry = new ConnectionRegistry(protocol.id(), settings.getMaxConnections());
		this.overloadLog = new RefusalLog(protocol.id() + " listener", "handler call",
				"stamp.blocking.max-threads + stamp.blocking.queue-capacity", context.blockingHandlers().capacity());
	}

	/**
	 * Binds the protocol's server.
	 * @param sslContext the TLS context, or {@code null} for plain text
	 * @return the bound server
	 */
	protected abstract DisposableServer bind(@Nullable SslContext sslContext);

	/**
	 * Called once the listening socket is closed during a graceful stop: tell clients to
	 * go away (WebSocket close frames, closing idle HTTP keep-alive connections, ...).
	 * Connections that stay open are closed when the grace period ends.
	 */
	protected void beginGracefulClose() {
	}

	@Override
	protected int bind(@Nullable SslBundle sslBundle) {
		DisposableServer bound = bind((sslBundle != null) ? ServerSslContexts.fromBundle(sslBundle) : null);
		this.server = bound;
		return ((InetSocketAddress) bound.address()).getPort();
	}

	/**
	 * Whether an idle connection may be closed now; a protocol keeps one open while it is
	 * legitimately quiet, for example while a handler computes a response.
	 * @param channel the idle connection's channel
	 * @return {@code true} if it may be closed
	 */
	protected boolean mayCloseWhenIdle(Channel channel) {
		return true;
	}

	/**
	 * Applies what every Reactor Netty listener does to its server: address, event loops,
	 * admission of connections against the limit, and closing connections idle for longer
	 * than {@code idle-timeout}.
	 * @param server the protocol's server
	 * @param <S> the server type
	 * @return the configured server
	 */
	protected <S extends ServerTransport<S, ?>> S configure(S server) {
		Duration idleTimeout = settings().getIdleTimeout();
		return server.host(settings().getHost())
			.port(settings().getPort())
			.runOn(context().loopResources())
			.doOnChannelInit((observer, channel, remoteAddress) -> {
				if (!this.registry.tryRegister(channel) || isStopping()) {
					channel.attr(REFUSED).set(Boolean.TRUE);
				}
				if (idleTimeout != null && !idleTimeout.isZero()) {
					IdleConnectionCloser.install(channel.pipeline(), idleTimeout, this::mayCloseWhenIdle);
				}
			});
	}

	/**
	 * Whether a handler call failed because the blocking-handler pool (Java 17 to 20) is
	 * full: overload to refuse cleanly and count, not a bug in the handler.
	 * @param error the failure of a handler call
	 * @return {@code true} for an overload
	 */
	protected static boolean isOverload(Throwable error) {
		return error instanceof RejectedExecutionException;
	}

	/**
	 * Counts and logs (once per burst) a handler call refused because the
	 * blocking-handler pool is full.
	 * @param source the refused peer, named in the log line
	 */
	protected void refusedForOverload(Object source) {
		this.overloadLog.refused(source);
	}

	/**
	 * Whether a connection was accepted over the limit (or during shutdown) and must be
	 * refused.
	 * @param channel the connection's channel
	 * @return {@code true} if it must be refused
	 */
	protected static boolean isRefused(Channel channel) {
		return channel.hasAttr(REFUSED) && Boolean.TRUE.equals(channel.attr(REFUSED).get());
	}

	@Override
	protected void unbind(Runnable done) {
		DisposableServer bound = this.server;
		bound.dispose();
		bound.onDispose().block(Duration.ofSeconds(5));
		Duration gracePeriod = context().gracePeriod();
		int open = this.registry.activeConnections();
		if (open > 0) {
			this.logger.info("Stamp " + protocol().id() + " listener stopped accepting; waiting up to " + gracePeriod
					+ " for " + open + " connection(s)");
		}
		ChannelGroupFuture allClosed = this.registry.channels().newCloseFuture();
		beginGracefulClose();
		ScheduledFuture<?> deadline = GlobalEventExecutor.INSTANCE.schedule(() -> {
			int left = this.registry.activeConnections();
			if (left > 0) {
				this.logger.warn("Grace period of " + gracePeriod + " over: closing " + left + " " + protocol().id()
						+ " connection(s)");
				this.registry.closeAll();
			}
		}, gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
		allClosed.addListener((future) -> {
			deadline.cancel(false);
			this.server = null;
			done.run();
		});
	}

	public ConnectionRegistry registry() {
		return this.registry;
	}

	@Override
	public ConnectionStats stats() {
		return this.registry.stats();
	}

	@Override
	public ConnectionPage connections(long after, int limit) {
		List<Map<String, Object>> read = new ArrayList<>();
		for (Channel channel : this.registry.channelsAfter(after, limit + 1)) {
			Map<String, Object> connection = new LinkedHashMap<>();
			connection.put("id", ConnectionRegistry.idOf(channel));
			connection.put("remoteAddress", String.valueOf(channel.remoteAddress()));
			connection.put("active", channel.isActive());
			read.add(connection);
		}
		return ConnectionPage.of(read, limit);
	}

}
