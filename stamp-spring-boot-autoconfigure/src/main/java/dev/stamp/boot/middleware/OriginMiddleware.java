package dev.stamp.boot.middleware;

import java.util.EnumMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;

import dev.stamp.boot.StampProtocol;

/**
 * The built-in origin check of WebSocket handshakes and WebTransport sessions, from
 * {@code stamp.websocket.allowed-origins} and {@code stamp.webtransport.allowed-origins}:
 * a request its protocol's {@link OriginPolicy} refuses is answered 403. Being a
 * middleware step, a refusal is logged and counted like any other: it runs after the
 * {@link LoggingMiddleware} and before the application's middleware.
 */
public class OriginMiddleware implements StampMiddleware {

	/**
	 * Right after the {@link LoggingMiddleware} (highest precedence), so that refused
	 * requests are logged, and before application middleware, which never sees a foreign
	 * origin.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	static final int FORBIDDEN = 403;

	private static final MiddlewareDecision FOREIGN_ORIGIN = MiddlewareDecision.reject(FORBIDDEN, "Origin not allowed");

	private static final MiddlewareDecision MISSING_ORIGIN = MiddlewareDecision.reject(FORBIDDEN,
			"Origin not allowed: none sent");

	private final Map<StampProtocol, OriginPolicy> policies;

	/**
	 * Creates a middleware that checks the {@code Origin} header of each protocol.
	 * @param policies the policy of each protocol checked; protocols absent or with an
	 * unrestricted policy are not checked
	 */
	public OriginMiddleware(Map<StampProtocol, OriginPolicy> policies) {
		Map<StampProtocol, OriginPolicy> restricted = new EnumMap<>(StampProtocol.class);
		policies.forEach((protocol, policy) -> {
			if (policy.isRestricted()) {
				restricted.put(protocol, policy);
			}
		});
		this.policies = restricted;
	}

	@Override
	public boolean appliesTo(StampProtocol protocol) {
		return this.policies.containsKey(protocol);
	}

	@Override
	public Mono<MiddlewareDecision> apply(StampRequest request) {
		OriginPolicy policy = this.policies.getOrDefault(request.protocol(), OriginPolicy.allowAll());
		String origin = request.origin();
		if (policy.allows(origin)) {
			return Mono.just(MiddlewareDecision.proceed());
		}
		return Mono.just((origin != null) ? FOREIGN_ORIGIN : MISSING_ORIGIN);
	}

	@Override
	public String toString() {
		return "OriginMiddleware" + this.policies.keySet();
	}

}
