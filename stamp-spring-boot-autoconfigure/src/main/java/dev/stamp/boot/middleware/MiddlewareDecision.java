package dev.stamp.boot.middleware;

/**
 * What a middleware decided about a request: let it through, or refuse it with an HTTP status (for WebSocket and
 * WebTransport the status of the handshake response; for TCP any rejection closes the connection).
 *
 * @param status 0 to proceed, otherwise the status to answer with
 * @param reason a short reason for logs; never sent to the client
 */
public record MiddlewareDecision(int status, String reason) {

	private static final MiddlewareDecision PROCEED = new MiddlewareDecision(0, null);

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
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("A rejection needs a 4xx or 5xx status, not " + status);
		}
		return new MiddlewareDecision(status, reason);
	}

	public boolean isRejected() {
		return this.status != 0;
	}

}
