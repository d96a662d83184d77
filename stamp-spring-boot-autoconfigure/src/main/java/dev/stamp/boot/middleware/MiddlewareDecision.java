package dev.stamp.boot.middleware;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a middleware decided about a request: let it through, or refuse it with an HTTP
 * status (for WebSocket and WebTransport the status of the handshake response; for TCP
 * any rejection closes the connection).
 *
 * @param status 0 to proceed, otherwise the status to answer with
 * @param reason a short reason for logs; never sent to the client
 * @param retryAfter when the client may try again, sent as {@code Retry-After};
 * {@code null} for none
 */
public record MiddlewareDecision(int status, @Nullable String reason, @Nullable Duration retryAfter) {

	private static final MiddlewareDecision PROCEED = new MiddlewareDecision(0, null);

	public MiddlewareDecision(int status, @Nullable String reason) {
		this(status, reason, null);
	}

	/** Let the request through (to the next middleware, then the route). */
	public static MiddlewareDecision proceed() {
		return PROCEED;
	}

	/**
	 * Refuse the request.
	 * @param status an HTTP status from 400 to 599, for example 401, 403 or 429
	 * @param reason a short reason for logs
	 */
	public static MiddlewareDecision reject(int status, String reason) {
		return reject(status, reason, null);
	}

	/**
	 * Refuse the request and tell the client when to try again (for 429 and 503).
	 * @param status an HTTP status from 400 to 599
	 * @param reason a short reason for logs
	 * @param retryAfter when the client may try again; sent as {@code Retry-After} in
	 * whole seconds, at least 1
	 */
	public static MiddlewareDecision reject(int status, String reason, Duration retryAfter) {
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("A rejection needs a 4xx or 5xx status, not " + status);
		}
		return new MiddlewareDecision(status, reason, retryAfter);
	}

	public boolean isRejected() {
		return this.status != 0;
	}

}
