package dev.stamp.webtransport.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link SessionAcceptor} decided about a {@link SessionRequest}: accept with a
 * handler (and the path variables and attributes routing and middleware produced), or
 * reject with an HTTP status.
 */
public final class SessionDecision {

	private final int status;

	private final String reason;

	private final WebTransportHandler handler;

	private final BlockingWebTransportHandler blockingHandler;

	private final Map<String, String> pathVariables;

	private final Map<String, Object> attributes;

	private SessionDecision(int status, String reason, WebTransportHandler handler,
			BlockingWebTransportHandler blockingHandler, Map<String, String> pathVariables,
			Map<String, Object> attributes) {
		this.status = status;
		this.reason = reason;
		this.handler = handler;
		this.blockingHandler = blockingHandler;
		this.pathVariables = pathVariables;
		this.attributes = attributes;
	}

	/**
	 * Accept with a reactive handler.
	 * @param handler the handler the session is given to
	 * @return a decision that accepts the session
	 */
	public static SessionDecision accept(WebTransportHandler handler) {
		return accept(handler, Map.of(), Map.of());
	}

	/**
	 * Accept with a reactive handler, path variables and attributes.
	 * @param handler the session handler
	 * @param pathVariables the route's path variables by name; their order is kept
	 * @param attributes the session's first attributes
	 * @return the decision
	 */
	public static SessionDecision accept(WebTransportHandler handler, Map<String, String> pathVariables,
			Map<String, Object> attributes) {
		return new SessionDecision(200, null, Objects.requireNonNull(handler), null, orderedCopy(pathVariables),
				Map.copyOf(attributes));
	}

	/**
	 * Accept with a blocking handler (run off the event loop).
	 * @param handler the blocking handler the session is given to
	 * @return a decision that accepts the session
	 */
	public static SessionDecision acceptBlocking(BlockingWebTransportHandler handler) {
		return acceptBlocking(handler, Map.of(), Map.of());
	}

	/**
	 * Accept with a blocking handler, path variables and attributes.
	 * @param handler the session handler
	 * @param pathVariables the route's path variables by name; their order is kept
	 * @param attributes the session's first attributes
	 * @return the decision
	 */
	public static SessionDecision acceptBlocking(BlockingWebTransportHandler handler, Map<String, String> pathVariables,
			Map<String, Object> attributes) {
		return new SessionDecision(200, null, null, Objects.requireNonNull(handler), orderedCopy(pathVariables),
				Map.copyOf(attributes));
	}

	/**
	 * Reject: the CONNECT is answered with {@code status} (for example 404 no route, 403
	 * forbidden, 429 rate limited, 503 over capacity) and the stream is ended.
	 * @param reason for logs, and sent to the peer as a short text body (browsers do not
	 * show it)
	 * @param status the HTTP status of the answer
	 * @return a decision that rejects the session
	 */
	public static SessionDecision reject(int status, String reason) {
		if (status < 300 || status > 599) {
			throw new IllegalArgumentException("A rejection needs a 3xx-5xx status, was " + status);
		}
		return new SessionDecision(status, reason, null, null, Map.of(), Map.of());
	}

	public boolean isAccepted() {
		return this.status == 200;
	}

	public int status() {
		return this.status;
	}

	public String reason() {
		return this.reason;
	}

	public WebTransportHandler handler() {
		return this.handler;
	}

	public BlockingWebTransportHandler blockingHandler() {
		return this.blockingHandler;
	}

	/**
	 * The path variables the session will have, in the route's order.
	 * @return the path variables by name
	 */
	public Map<String, String> pathVariables() {
		return this.pathVariables;
	}

	public Map<String, Object> attributes() {
		return this.attributes;
	}

	private static Map<String, String> orderedCopy(Map<String, String> pathVariables) {
		return pathVariables.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(pathVariables));
	}

	@Override
	public String toString() {
		return isAccepted() ? "accept" : "reject(" + this.status + ", " + this.reason + ")";
	}

}
