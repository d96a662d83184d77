package dev.stamp.boot.http;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import dev.stamp.boot.middleware.MiddlewareDecision;

/**
 * Short plain-text answers the listeners give on their own (404, 405, 413, 503, ...), shared by the HTTP and
 * WebSocket listeners. Bodies are fixed phrases: nothing from the request or from an exception is echoed.
 */
public final class PlainResponses {

	private PlainResponses() {
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

	/** Answers a request that middleware refused, with the status's reason phrase as body. */
	public static Mono<Void> refusedByMiddleware(HttpServerResponse response, MiddlewareDecision decision) {
		HttpResponseStatus status = HttpResponseStatus.valueOf(decision.status());
		return send(response, status, status.reasonPhrase(), false);
	}

	/** Answers a request that found every blocking-handler thread busy; the connection stays usable. */
	public static Mono<Void> overloaded(HttpServerResponse response) {
		response.header(HttpHeaderNames.RETRY_AFTER, "1");
		return send(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "Server busy, try again later", false);
	}

	/** Answers a connection accepted over {@code max-connections}, then closes it. */
	public static Mono<Void> overCapacity(HttpServerResponse response) {
		response.header(HttpHeaderNames.RETRY_AFTER, "1");
		return send(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "Server at capacity, try again later", true);
	}

}
