package dev.stamp.boot.http;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.listener.ReactorNettyListener;
import dev.stamp.boot.middleware.StampRequest;
import dev.stamp.boot.routing.PathRouter;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.boot.routing.StampRoutes;

/**
 * The HTTP listener: routes each request by path and method to a
 * {@link dev.stamp.boot.StampRoute} handler and writes what it returns.
 * <p>
 * Status codes it produces on its own: 404 unknown path, 405 with {@code Allow} for a
 * method not routed, 204 with {@code Allow} for OPTIONS, 413 for a body over
 * {@code max-request-size}, 500 (with a fixed body, never a stack trace) when a handler
 * throws, 503 over {@code max-connections} or during shutdown. Malformed and ambiguous
 * requests (400, 408, 414, 431) are answered below, by {@link HttpRequestGuard}.
 */
public class HttpListener extends ReactorNettyListener {

	private static final AttributeKey<AtomicInteger> IN_FLIGHT = AttributeKey.valueOf("stamp.http.inFlight");

	/**
	 * Set while a request's body is still arriving: a client that stalls there is idle,
	 * not busy.
	 */
	private static final AttributeKey<Boolean> AWAITING_BODY = AttributeKey.valueOf("stamp.http.awaitingBody");

	private static final byte[] NO_BODY = new byte[0];

	private final HttpListenerSettings settings;

	private final PathRouter<HttpEndpoint> router = new PathRouter<>(HttpEndpoint::describe);

	private final HttpResultEncoder encoder;

	private final List<StampHttpServerCustomizer> customizers;

	/**
	 * Creates a listener whose server is configured by its settings alone.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param context shared listener infrastructure
	 * @param jsonWriter writes objects returned by handlers, or {@code null} without JSON
	 * support
	 */
	public HttpListener(HttpListenerSettings settings, StampRoutes routes, ListenerContext context,
			JsonWriter jsonWriter) {
		this(settings, routes, context, jsonWriter, List.of());
	}

	/**
	 * Creates a listener.
	 * @param settings the listener's settings
	 * @param routes the application's routes
	 * @param context shared listener infrastructure
	 * @param jsonWriter writes objects returned by handlers, or {@code null} without JSON
	 * support
	 * @param customizers applied in turn to the server after its settings
	 */
	public HttpListener(HttpListenerSettings settings, StampRoutes routes, ListenerContext context,
			JsonWriter jsonWriter, List<StampHttpServerCustomizer> customizers) {
		super(StampProtocol.HTTP, settings, routes, context);
		this.settings = settings;
		this.encoder = new HttpResultEncoder(jsonWriter);
		this.customizers = List.copyOf(customizers);
	}

	@Override
	protected void useRoutes(List<RouteMethod> routes) {
		for (RouteMethod route : routes) {
			HttpEndpoint endpoint = this.router.get(route.path());
			if (endpoint != null) {
				endpoint.add(route);
			}
			else {
				// Filled before it is routed, so that a clash names this route.
				HttpEndpoint added = new HttpEndpoint();
				added.add(route);
				this.router.add(route.path(), added);
			}
		}
	}

	@Override
	protected DisposableServer bind(@Nullable SslContext sslContext) {
		int maxHeaderSize = (int) this.settings.getMaxHeaderSize().toBytes();
		HttpRequestLimits limits = new HttpRequestLimits(this.settings.getRequestHeaderTimeout(),
				this.settings.getRequestBodyTimeout());
		HttpServer server = configure(HttpServer.create())
			.httpRequestDecoder((spec) -> spec.maxHeaderSize(maxHeaderSize).maxInitialLineLength(maxHeaderSize))
			.doOnChannelInit((observer, channel, remoteAddress) -> HttpRequestGuard.install(channel.pipeline(), limits,
					peerErrors()))
			.handle(this::serve);
		if (sslContext != null) {
			server = server.secure((spec) -> spec.sslContext(sslContext));
		}
		for (StampHttpServerCustomizer customizer : this.customizers) {
			server = customizer.customize(server);
		}
		return server.bindNow();
	}

	private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		Channel channel = channelOf(request);
		if (isRefused(channel)) {
			return PlainResponses.overCapacity(response);
		}
		AtomicInteger counter = channel.attr(IN_FLIGHT).get();
		if (counter == null) {
			counter = new AtomicInteger();
			channel.attr(IN_FLIGHT).set(counter);
		}
		counter.incrementAndGet();
		AtomicInteger inFlight = counter;
		return route(request, response, channel).doFinally((signal) -> {
			inFlight.decrementAndGet();
			if (isStopping()) {
				channel.close();
			}
		});
	}

	private Mono<Void> route(HttpServerRequest request, HttpServerResponse response, Channel channel) {
		if (isStopping()) {
			response.keepAlive(false);
		}
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		if (hasMiddleware()) {
			StampRequest stampRequest = StampRequest.of(StampProtocol.HTTP, (InetSocketAddress) channel.remoteAddress(),
					uri.path(), request.requestHeaders());
			return applyMiddleware(stampRequest, channel)
				.flatMap((decision) -> decision.isRejected() ? PlainResponses.refusedByMiddleware(response, decision)
						: dispatch(request, response, channel, uri, stampRequest.attributes()));
		}
		return dispatch(request, response, channel, uri, Map.of());
	}

	private Mono<Void> dispatch(HttpServerRequest request, HttpServerResponse response, Channel channel,
			QueryStringDecoder uri, Map<String, Object> attributes) {
		PathRouter.Match<HttpEndpoint> match = this.router.match(uri.path());
		if (match == null) {
			return PlainResponses.send(response, HttpResponseStatus.NOT_FOUND, "Not Found", false);
		}
		HttpEndpoint endpoint = match.target();
		HttpMethod method = HttpMethod.of(request.method().name());
		HttpEndpoint.Handler handler = endpoint.handler(method);
		if (handler == null) {
			response.header(HttpHeaderNames.ALLOW, endpoint.allow());
			if (method == HttpMethod.OPTIONS) {
				return response.status(HttpResponseStatus.NO_CONTENT).send().then();
			}
			return PlainResponses.send(response, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed", false);
		}
		long maxRequestSize = this.settings.getMaxRequestSize().toBytes();
		if (contentLength(request.requestHeaders()) > maxRequestSize) {
			// Refuse before reading: the body is never buffered, and the connection
			// closes so it is never drained.
			return PlainResponses.contentTooLarge(response);
		}
		return readBody(request, channel, maxRequestSize)
			.onErrorResume((error) -> isCutOff(channel, error), (error) -> {
				// The guard refused the body (or the client left): nobody waits for an
				// answer, the handler never runs.
				this.logger.debug("Request body from " + channel.remoteAddress() + " cut off", error);
				return Mono.empty();
			})
			.flatMap((body) -> invoke(handler, channel,
					toRequest(request, method, uri, body, channel, match.pathVariables(), attributes))
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty()))
			.flatMap((result) -> write(response, method, handler.route(), result.orElse(null)))
			.onErrorResume(BodyTooLargeException.class, (error) -> PlainResponses.contentTooLarge(response))
			.onErrorResume(ReactorNettyListener::isOverload, (error) -> {
				refusedForOverload(channel.remoteAddress());
				return PlainResponses.overloaded(response);
			})
			.onErrorResume((error) -> {
				this.logger.error("HTTP handler " + handler.route().describe() + " failed for " + request.method() + " "
						+ uri.path(), error);
				return PlainResponses.send(response, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error",
						false);
			});
	}

	private static Mono<byte[]> readBody(HttpServerRequest request, Channel channel, long maxRequestSize) {
		HttpHeaders headers = request.requestHeaders();
		boolean chunked = headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true);
		if (!chunked && contentLength(headers) <= 0) {
			return Mono.just(NO_BODY);
		}
		channel.attr(AWAITING_BODY).set(Boolean.TRUE);
		return request.receive().reduce(new ByteArrayOutputStream(), (collected, buffer) -> {
			if (collected.size() + buffer.readableBytes() > maxRequestSize) {
				throw new BodyTooLargeException();
			}
			copy(buffer, collected);
			return collected;
		})
			.map(ByteArrayOutputStream::toByteArray)
			.defaultIfEmpty(NO_BODY)
			.doFinally((signal) -> channel.attr(AWAITING_BODY).set(null));
	}

	private static boolean isCutOff(Channel channel, Throwable error) {
		return !(error instanceof BodyTooLargeException)
				&& (HttpRequestGuard.hasAnswered(channel) || !channel.isActive());
	}

	/**
	 * An idle connection closes unless a handler is still working on its request: a
	 * vanished keep-alive client and a client that stalls while sending a body are
	 * closed, a slow handler keeps its connection.
	 */
	@Override
	protected boolean mayCloseWhenIdle(Channel channel) {
		AtomicInteger inFlight = channel.attr(IN_FLIGHT).get();
		return inFlight == null || inFlight.get() == 0 || Boolean.TRUE.equals(channel.attr(AWAITING_BODY).get());
	}

	private static long contentLength(HttpHeaders headers) {
		String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if (value == null) {
			return -1;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			// Netty's decoder already rejects malformed lengths with 400; treat anything
			// else as unknown.
			return -1;
		}
	}

	private static void copy(ByteBuf buffer, ByteArrayOutputStream collected) {
		int length = buffer.readableBytes();
		if (buffer.hasArray()) {
			collected.write(buffer.array(), buffer.arrayOffset() + buffer.readerIndex(), length);
		}
		else {
			byte[] chunk = new byte[length];
			buffer.getBytes(buffer.readerIndex(), chunk);
			collected.write(chunk, 0, length);
		}
	}

	private static HttpRequest toRequest(HttpServerRequest request, HttpMethod method, QueryStringDecoder uri,
			byte[] body, Channel channel, Map<String, String> pathVariables, Map<String, Object> attributes) {
		return new HttpRequest(method, uri.path(), uri.rawQuery(), uri.parameters(), request.requestHeaders(), body,
				(InetSocketAddress) channel.remoteAddress(), pathVariables, attributes);
	}

	private Mono<Object> invoke(HttpEndpoint.Handler handler, Channel channel, HttpRequest request) {
		RouteMethod route = handler.route();
		Callable<@Nullable Object> call = () -> route.invoke(handler.arguments().apply(request));
		if (!route.isReactive()) {
			// The response is written back on the connection's event loop: writing it
			// from the handler's thread raced with Reactor Netty finishing the previous
			// exchange on a keep-alive connection, and the answer was lost.
			return context().blockingHandlers().call(call, channel.eventLoop());
		}
		return Mono.fromCallable(call).flatMap((publisher) -> Mono.from((Publisher<?>) publisher));
	}

	private Mono<Void> write(HttpServerResponse response, HttpMethod method, RouteMethod route, Object result) {
		HttpResultEncoder.Encoded encoded;
		try {
			encoded = this.encoder.encode(result, route.produces());
		}
		catch (Exception ex) {
			return Mono.error(ex);
		}
		response.status(encoded.status());
		if (encoded.contentType() != null) {
			response.header(HttpHeaderNames.CONTENT_TYPE, encoded.contentType());
		}
		for (Map.Entry<String, String> header : encoded.headers().entrySet()) {
			response.header(header.getKey(), header.getValue());
		}
		response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(encoded.body().length));
		if (method == HttpMethod.HEAD || encoded.body().length == 0) {
			return response.send().then();
		}
		return response.sendByteArray(Mono.just(encoded.body())).then();
	}

	private static Channel channelOf(HttpServerRequest request) {
		Channel[] channel = new Channel[1];
		request.withConnection((connection) -> channel[0] = connection.channel());
		return channel[0];
	}

	@Override
	protected void beginGracefulClose() {
		// Idle keep-alive connections have nothing in flight: close them now. Busy ones
		// close after their response.
		for (Channel channel : registry().channels()) {
			AtomicInteger inFlight = channel.attr(IN_FLIGHT).get();
			if (inFlight == null || inFlight.get() == 0) {
				channel.close();
			}
		}
	}

	/** Raised while reading a chunked body that grows past {@code max-request-size}. */
	static final class BodyTooLargeException extends RuntimeException {

		BodyTooLargeException() {
			super("Request body exceeds max-request-size", null, false, false);
		}

	}

}
