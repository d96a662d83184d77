package dev.stamp.boot.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import dev.stamp.boot.middleware.MiddlewareDecision;

/**
 * Short plain-text answers the listeners give on their own (404, 405, 413, 503, ...),
 * shared by the HTTP and WebSocket listeners. Bodies are fixed phrases: nothing from the
 * request or from an exception is echoed.
 */
public final class PlainResponses {

	/**
	 * 413 with the reason phrase of RFC 9110 (Netty still says "Request Entity Too
	 * Large").
	 */
	public static final HttpResponseStatus CONTENT_TOO_LARGE = new HttpResponseStatus(413, "Content Too Large");

	private PlainResponses() {
	}

	/**
	 * Answers a request whose body is over {@code max-request-size}, then closes the
	 * connection.
	 * @param response the response to write
	 * @return completes when the answer is written
	 */
	public static Mono<Void> contentTooLarge(HttpServerResponse response) {
		return send(response, CONTENT_TOO_LARGE, CONTENT_TOO_LARGE.reasonPhrase(), true);
	}

	/**
	 * A complete plain-text response with {@code Connection: close}, for handlers below
	 * Reactor Netty that answer a request no route will see.
	 * @param status the status
	 * @param message the body, one short sentence
	 * @return the response; the caller owns it
	 */
	public static FullHttpResponse closing(HttpResponseStatus status, String message) {
		byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		return response;
	}

	/**
	 * Sends a complete plain-text response.
	 * @param response the response
	 * @param status the status
	 * @param message the body, one short sentence
	 * @param closeConnection whether to close the connection afterwards
	 * @return completes when sent
	 */
	public static Mono<Void> send(HttpServerResponse response, HttpResponseStatus status, String message,
			boolean closeConnection) {
		byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
		response.status(status)
			.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
			.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
		if (closeConnection) {
			response.keepAlive(false).header(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		return response.sendByteArray(Mono.just(body)).then();
	}

	/**
	 * Answers a request that middleware refused, with the status's reason phrase as body.
	 * @param response the response to write
	 * @param decision the middleware's refusal
	 * @return completes when the answer is written
	 */
	public static Mono<Void> refusedByMiddleware(HttpServerResponse response, MiddlewareDecision decision) {
		HttpResponseStatus status = HttpResponseStatus.valueOf(decision.status());
		if (decision.retryAfter() != null) {
			response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds(decision.retryAfter())));
		}
		return send(response, status, status.reasonPhrase(), false);
	}

	/**
	 * Whole seconds for {@code Retry-After}, rounded up and at least 1: "0" would invite
	 * an immediate retry.
	 * @param retryAfter how long the client should wait
	 * @return the seconds to send
	 */
	static long retryAfterSeconds(Duration retryAfter) {
		long seconds = retryAfter.toSeconds() + ((retryAfter.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	/**
	 * Answers a request that found every blocking-handler thread busy; the connection
	 * stays usable.
	 * @param response the response to write
	 * @return completes when the answer is written
	 */
	public static Mono<Void> overloaded(HttpServerResponse response) {
		response.header(HttpHeaderNames.RETRY_AFTER, "1");
		return send(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "Server busy, try again later", false);
	}

	/**
	 * Answers a connection accepted over {@code max-connections}, then closes it.
	 * @param response the response to write
	 * @return completes when the answer is written
	 */
	public static Mono<Void> overCapacity(HttpServerResponse response) {
		response.header(HttpHeaderNames.RETRY_AFTER, "1");
		return send(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "Server at capacity, try again later", true);
	}

}
