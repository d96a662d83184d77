package dev.stamp.boot.tcp;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.listener.OrderlyClose;
import dev.stamp.boot.listener.ReactorNettyListener;
import dev.stamp.boot.middleware.StampRequest;
import dev.stamp.boot.routing.RouteArguments;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.boot.routing.StampRoutes;

/**
 * The TCP listener: calls the application's TCP route once per connection and closes the
 * connection when the handler is done, after every byte it sent has been written
 * ({@link OrderlyClose}). A peer that shuts down its output (FIN) ends the handler's
 * input but may still read the reply, on both route forms. Over {@code max-connections},
 * a new connection is closed at once without calling the handler.
 */
public class TcpListener extends ReactorNettyListener {

	private volatile RouteMethod route;

	private volatile Function<Connection, Object[]> arguments;

	private final Duration lingerTimeout;

	private final List<StampTcpServerCustomizer> customizers;

	/**
	 * Creates a listener whose server is configured by its settings alone.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param context shared listener infrastructure
	 */
	public TcpListener(TcpListenerSettings settings, StampRoutes routes, ListenerContext context) {
		this(settings, routes, context, List.of());
	}

	/**
	 * Creates a listener.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param context shared listener infrastructure
	 * @param customizers applied in turn to the server after its settings
	 */
	public TcpListener(TcpListenerSettings settings, StampRoutes routes, ListenerContext context,
			List<StampTcpServerCustomizer> customizers) {
		super(StampProtocol.TCP, settings, routes, context);
		this.lingerTimeout = settings.getLingerTimeout();
		this.customizers = List.copyOf(customizers);
	}

	@Override
	protected void useRoutes(List<RouteMethod> routes) {
		if (routes.size() > 1) {
			throw new IllegalStateException("A TCP listener serves one handler, but " + routes.size()
					+ " @StampRoute methods take a TCP connection: " + routes);
		}
		if (!routes.isEmpty()) {
			this.arguments = argumentsFor(routes.get(0));
			this.route = routes.get(0);
		}
	}

	private Function<Connection, Object[]> argumentsFor(RouteMethod route) {
		if (route.isReactive()) {
			return new RouteArguments<Connection>()
				.supply(ReactiveTcpConnection.class,
						(connection) -> new NettyReactiveTcpConnection(connection, this.lingerTimeout))
				.bind(route);
		}
		return new RouteArguments<Connection>()
			.supply(TcpConnection.class, (connection) -> new BlockingTcpConnection(connection, this.lingerTimeout))
			.bind(route);
	}

	@Override
	protected DisposableServer bind(@Nullable SslContext sslContext) {
		TcpServer server = configure(TcpServer.create()).handle((inbound, outbound) -> {
			Connection[] connection = new Connection[1];
			inbound.withConnection((c) -> connection[0] = c);
			return serve(connection[0]);
		})
			// Without it Netty closes the channel on the peer's FIN and fails the reply's
			// queued writes; handlers see end of input instead and go on sending.
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
		if (sslContext != null) {
			server = server.secure((spec) -> spec.sslContext(sslContext));
		}
		for (StampTcpServerCustomizer customizer : this.customizers) {
			server = customizer.customize(server);
		}
		return server.bindNow();
	}

	private Publisher<Void> serve(Connection connection) {
		RouteMethod handler = this.route;
		if (isRefused(connection.channel()) || handler == null) {
			// Completing at once closes the connection before any byte is read or
			// written.
			return Mono.empty();
		}
		connection.channel().pipeline().addFirst(ReadAfterInputShutdownGuard.NAME, new ReadAfterInputShutdownGuard());
		// Resolve the arguments here, on the event loop and before middleware may defer
		// the call: the connection then sees every byte and the peer's FIN or reset,
		// however soon they come.
		Object[] arguments = this.arguments.apply(connection);
		if (connection.channel().pipeline().get(SslHandler.class) != null) {
			// Added after the connection's own handlers so that it lands in front of
			// them, right behind the SslHandler.
			connection.addHandlerFirst(TlsHalfClose.NAME, new TlsHalfClose());
		}
		Mono<Void> served;
		if (hasMiddleware()) {
			StampRequest request = new StampRequest(StampProtocol.TCP,
					(InetSocketAddress) connection.channel().remoteAddress(), null, Map.of());
			served = applyMiddleware(request, connection.channel()).flatMap((decision) -> decision.isRejected()
					? Mono.<Void>empty() : invoke(handler, arguments, connection.channel()));
		}
		else {
			served = invoke(handler, arguments, connection.channel());
		}
		return served.onErrorResume((error) -> handlerFailed(handler, connection, error))
			.then(OrderlyClose.close(connection.channel(), this.lingerTimeout));
	}

	private Mono<Void> invoke(RouteMethod handler, Object[] arguments, Channel channel) {
		if (handler.isReactive()) {
			return Mono.defer(() -> {
				try {
					return Flux.from((Publisher<?>) handler.invoke(arguments)).then();
				}
				catch (Exception ex) {
					return Mono.error(ex);
				}
			});
		}
		return context().blockingHandlers().<Void>call(() -> {
			handler.invoke(arguments);
			return null;
		}, channel.eventLoop());
	}

	private Mono<Void> handlerFailed(RouteMethod handler, Connection connection, Throwable error) {
		if (isOverload(error)) {
			refusedForOverload(connection.channel().remoteAddress());
			return Mono.empty();
		}
		if (error instanceof UncheckedIOException) {
			// The peer reset or vanished while the handler read or wrote: routine on the
			// Internet, not a bug.
			peerErrors().record("connection-failed", connection.channel().remoteAddress(),
					"connection failed while the handler read or wrote: " + error.getMessage(), error);
			return Mono.empty();
		}
		this.logger.error("TCP handler " + handler.describe() + " failed for " + connection.channel().remoteAddress()
				+ "; closing the connection", error);
		return Mono.empty();
	}

}
