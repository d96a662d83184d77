package dev.stamp.boot.websocket;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.http.HttpRequestGuard;
import dev.stamp.boot.http.HttpRequestLimits;
import dev.stamp.boot.http.PlainResponses;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.listener.ReactorNettyListener;
import dev.stamp.boot.middleware.StampRequest;
import dev.stamp.boot.routing.PathRouter;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.boot.routing.StampRoutes;
import dev.stamp.boot.topic.TopicOffsets;

/**
 * The WebSocket listener: upgrades requests on routed paths and calls the route's handler
 * once per message, in order. Handshakes pass through the middleware chain first (403
 * from origins not allowed by {@code allowed-origins}), then are answered 404 on unknown
 * paths, 426 without an upgrade or with an unsupported version, 400 when malformed, and
 * 503 over {@code max-connections}. Protocol violations fail the connection with 1002,
 * text that is not UTF-8 with 1007, oversized frames and messages with 1009; each is
 * counted in {@link #peerErrors()}. With {@code compression} the listener offers
 * permessage-deflate.
 */
public class WebSocketListener extends ReactorNettyListener {

	static final int STATUS_GOING_AWAY = 1001;

	static final int STATUS_POLICY_VIOLATION = 1008;

	static final int STATUS_MESSAGE_TOO_BIG = 1009;

	static final int STATUS_INTERNAL_ERROR = 1011;

	static final int STATUS_TRY_AGAIN_LATER = 1013;

	private static final String UTF8_VALIDATOR = "stamp.wsUtf8Validator";

	private final WebSocketListenerSettings settings;

	private final WebsocketServerSpec spec;

	private final WebsocketServerSpec topicsSpec;

	private final PathRouter<WebSocketRoute> router = new PathRouter<>((route) -> route.method().describe());

	private final List<StampWebSocketServerCustomizer> customizers;

	private final WebSocketRooms rooms;

	/**
	 * The clients of this listener: the rooms hold those of every listener.
	 */
	private final Set<NettyWebSocketConnection> connections = ConcurrentHashMap.newKeySet();

	/** Where the application finds every connected client, of every listener. */
	private final WebSocketConnections registry;

	/**
	 * Creates a listener whose server is configured by its settings alone.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param context shared listener infrastructure
	 */
	public WebSocketListener(WebSocketListenerSettings settings, StampRoutes routes, ListenerContext context) {
		this(settings, routes, context, List.of());
	}

	/**
	 * Creates a listener.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param context shared listener infrastructure
	 * @param customizers applied in turn to the server after its settings
	 */
	public WebSocketListener(WebSocketListenerSettings settings, StampRoutes routes, ListenerContext context,
			List<StampWebSocketServerCustomizer> customizers) {
		this(settings, routes, new WebSocketRooms(context.topics()), context, customizers, new WebSocketConnections());
	}

	/**
	 * Creates a listener whose clients share rooms and the registry of connected clients
	 * with those of other listeners.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param rooms the rooms, shared by every WebSocket listener of the application
	 * @param context shared listener infrastructure
	 * @param customizers applied in turn to the server after its settings
	 * @param registry where the listener's clients are listed while connected
	 */
	public WebSocketListener(WebSocketListenerSettings settings, StampRoutes routes, WebSocketRooms rooms,
			ListenerContext context, List<StampWebSocketServerCustomizer> customizers, WebSocketConnections registry) {
		super(StampProtocol.WEBSOCKET, settings, routes, context);
		this.settings = settings;
		this.spec = websocketSpec(settings, false);
		this.topicsSpec = websocketSpec(settings, true);
		this.customizers = List.copyOf(customizers);
		this.rooms = rooms;
		this.registry = registry;
	}

	/**
	 * Inflated data is held to the same limit as plain data: Netty's inflater stops at
	 * {@code maxAllocation}. A spec with {@code protocols} only serves clients that offer
	 * one of them (Reactor Netty does not call the handler otherwise), hence one spec per
	 * kind of client.
	 * @param settings the WebSocket listener settings
	 * @param topics whether the spec selects
	 * {@link WebSocketConnection#TOPICS_SUBPROTOCOL}
	 * @return the server spec
	 */
	private static WebsocketServerSpec websocketSpec(WebSocketListenerSettings settings, boolean topics) {
		int maxMessageSize = (int) settings.getMaxMessageSize().toBytes();
		WebsocketServerSpec.Builder spec = WebsocketServerSpec.builder().maxFramePayloadLength(maxMessageSize);
		if (topics) {
			spec.protocols(WebSocketConnection.TOPICS_SUBPROTOCOL);
		}
		if (settings.isCompression()) {
			spec.compress(true).maxDecompressionBufferSize(maxMessageSize);
		}
		return spec.build();
	}

	@Override
	protected void useRoutes(List<RouteMethod> routes) {
		for (RouteMethod route : routes) {
			this.router.add(route.path(), this.rooms.route(route));
		}
	}

	@Override
	protected DisposableServer bind(@Nullable SslContext sslContext) {
		// The opening handshake is an HTTP/1.1 request: the HTTP listener's request
		// checks and deadline apply to it.
		HttpRequestLimits limits = new HttpRequestLimits(this.settings.getHandshakeTimeout(),
				this.settings.getHandshakeTimeout());
		HttpServer server = configure(HttpServer.create())
			.doOnChannelInit((observer, channel, remoteAddress) -> HttpRequestGuard.install(channel.pipeline(), limits,
					peerErrors()))
			.handle(this::handshake);
		if (sslContext != null) {
			server = server.secure((spec) -> spec.sslContext(sslContext));
		}
		for (StampWebSocketServerCustomizer customizer : this.customizers) {
			server = customizer.customize(server);
		}
		return server.bindNow();
	}

	private Publisher<Void> handshake(HttpServerRequest request, HttpServerResponse response) {
		Channel[] channel = new Channel[1];
		request.withConnection((connection) -> channel[0] = connection.channel());
		if (isRefused(channel[0]) || isStopping()) {
			return PlainResponses.overCapacity(response);
		}
		String path = new QueryStringDecoder(request.uri()).path();
		if (hasMiddleware()) {
			StampRequest stampRequest = StampRequest.of(StampProtocol.WEBSOCKET,
					(InetSocketAddress) channel[0].remoteAddress(), path, request.requestHeaders());
			return applyMiddleware(stampRequest, channel[0])
				.flatMap((decision) -> decision.isRejected() ? PlainResponses.refusedByMiddleware(response, decision)
						: Mono.from(upgrade(request, response, channel[0], path, stampRequest.attributes())));
		}
		return upgrade(request, response, channel[0], path, Map.of());
	}

	private Publisher<Void> upgrade(HttpServerRequest request, HttpServerResponse response, Channel channel,
			String path, Map<String, Object> attributes) {
		PathRouter.Match<WebSocketRoute> match = this.router.match(path);
		if (match == null) {
			return PlainResponses.send(response, HttpResponseStatus.NOT_FOUND, "No WebSocket endpoint here", false);
		}
		if (!request.requestHeaders().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
			response.header(HttpHeaderNames.UPGRADE, "websocket");
			return PlainResponses.send(response, HttpResponseStatus.UPGRADE_REQUIRED, "WebSocket upgrade required",
					false);
		}
		WebSocketHandshakeCheck.Refusal refusal = WebSocketHandshakeCheck.check(request);
		if (refusal != null) {
			peerErrors().record("bad-handshake", channel.remoteAddress(),
					refusal.reason() + "; answered " + refusal.status().code());
			return refusal.send(response);
		}
		EarlyDataGuard.install(channel.pipeline(), peerErrors());
		return response.sendWebsocket((inbound, outbound) -> session(channel, match, path, resumeOffset(request),
				attributes, inbound, outbound), offersTopicsSubprotocol(request) ? this.topicsSpec : this.spec);
	}

	private static boolean offersTopicsSubprotocol(HttpServerRequest request) {
		for (String offered : request.requestHeaders().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
			for (String protocol : offered.split(",")) {
				if (protocol.trim().equals(WebSocketConnection.TOPICS_SUBPROTOCOL)) {
					return true;
				}
			}
		}
		return false;
	}

	private static @Nullable String resumeOffset(HttpServerRequest request) {
		List<String> offsets = new QueryStringDecoder(request.uri()).parameters()
			.get(WebSocketConnection.RESUME_PARAMETER);
		return (offsets != null && !offsets.isEmpty()) ? offsets.get(0) : null;
	}

	private Publisher<Void> session(Channel channel, PathRouter.Match<WebSocketRoute> match, String path,
			@Nullable String resumeOffset, Map<String, Object> attributes, WebsocketInbound inbound,
			WebsocketOutbound outbound) {
		WebSocketRoute route = match.target();
		boolean enveloped = WebSocketConnection.TOPICS_SUBPROTOCOL.equals(inbound.selectedSubprotocol());
		// Plain clients get raw frames only: a resume offset means nothing to them.
		String afterOffset = enveloped ? resumeOffset : null;
		if (afterOffset != null && !TopicOffsets.isValid(afterOffset)) {
			peerErrors().record("bad-offset", channel.remoteAddress(),
					"resume offset is not <number>-<number>; closing with 1008");
			return outbound.sendClose(STATUS_POLICY_VIOLATION, "Not a topic offset");
		}
		NettyWebSocketConnection connection = new NettyWebSocketConnection(channel, outbound, route, path,
				match.pathVariables(), this.settings.getMaxPendingOutbound().toBytes(),
				this.settings.getSlowReaderCloseTimeout(), peerErrors(), enveloped);
		connection.attributes().putAll(attributes);
		this.connections.add(connection);
		route.join(connection, afterOffset);
		this.registry.register(connection);
		int maxMessageSize = (int) this.settings.getMaxMessageSize().toBytes();
		CloseCheckingFrameDecoder.install(channel.pipeline(), maxMessageSize);
		// Before the aggregator: fragments are checked one by one, and after the
		// inflater, if one was negotiated.
		inbound.withConnection((netty) -> netty.addHandlerLast(UTF8_VALIDATOR, new Utf8FrameValidator(true))
			.addHandlerLast(WebSocketFrameGuard.NAME, new WebSocketFrameGuard(peerErrors())));
		return inbound.aggregateFrames(maxMessageSize)
			.receiveFrames()
			.filter((frame) -> frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
			// Copy while Reactor Netty still holds the frame: it is released once onNext
			// returns.
			.map(WebSocketListener::toMessage)
			// A failing handler closes its client with 1011 right here: letting the error
			// cancel the inbound side would make Reactor Netty close without a status.
			.concatMap((message) -> handle(route, connection, message).onErrorResume((error) -> {
				if (isOverload(error)) {
					refusedForOverload(channel.remoteAddress());
					return outbound.sendClose(STATUS_TRY_AGAIN_LATER, "Server overloaded").then();
				}
				this.logger.error("WebSocket handler " + route.method().describe() + " failed for "
						+ channel.remoteAddress() + "; closing with 1011", error);
				return outbound.sendClose(STATUS_INTERNAL_ERROR, "Internal error").then();
			}), 1)
			.then()
			.onErrorResume(TooLongFrameException.class, (error) -> {
				peerErrors().record("message-too-big", channel.remoteAddress(),
						"joined message over max-message-size; closing with 1009");
				return outbound.sendClose(STATUS_MESSAGE_TOO_BIG, "Message too big").then();
			})
			.doFinally((signal) -> {
				route.leave(connection);
				this.connections.remove(connection);
			});
	}

	private static WebSocketMessage toMessage(WebSocketFrame frame) {
		return new WebSocketMessage(frame instanceof TextWebSocketFrame, ByteBufUtil.getBytes(frame.content()));
	}

	private Mono<Void> handle(WebSocketRoute route, NettyWebSocketConnection connection, WebSocketMessage message) {
		RouteMethod method = route.method();
		Callable<@Nullable Object> call = () -> method.invoke(route.arguments(connection, message));
		// A blocking handler's reply is signalled on the connection's event loop: it is
		// written, and the next message asked for, from there.
		Mono<Object> result = method.isReactive() ? Mono.fromCallable(call)
				: context().blockingHandlers().call(call, connection.eventLoop());
		return result
			.flatMapMany((value) -> (value instanceof Publisher<?> publisher) ? Flux.from(publisher) : Flux.just(value))
			.doOnNext((reply) -> reply(connection, reply))
			.then();
	}

	private static void reply(NettyWebSocketConnection connection, Object reply) {
		if (reply instanceof String text) {
			connection.send(text);
		}
		else if (reply instanceof byte[] bytes) {
			connection.send(bytes);
		}
		else if (reply instanceof WebSocketMessage message) {
			if (message.text()) {
				connection.send(message.asText());
			}
			else {
				connection.send(message.bytes());
			}
		}
		else {
			throw new IllegalStateException(
					"A WebSocket handler may reply with String, byte[] or WebSocketMessage, not "
							+ reply.getClass().getName());
		}
	}

	@Override
	protected void beginGracefulClose() {
		this.connections.forEach((connection) -> connection.close(STATUS_GOING_AWAY, "Server shutting down"));
	}

	/**
	 * Clients connected to this listener right now, over all routes.
	 * @return the number of connected clients
	 */
	public int connectedClients() {
		return this.connections.size();
	}

}
