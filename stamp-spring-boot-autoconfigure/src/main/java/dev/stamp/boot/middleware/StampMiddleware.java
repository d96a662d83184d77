package dev.stamp.boot.middleware;

import java.util.function.Predicate;

import reactor.core.publisher.Mono;

import dev.stamp.boot.StampProtocol;

/**
 * A check that runs before requests reach their routes. Declare it as a bean; order
 * several with {@link org.springframework.core.annotation.Order @Order} or
 * {@link org.springframework.core.Ordered}. The first rejection answers the client and
 * the remaining middleware is skipped. <pre class="code">
 * &#64;Bean
 * StampMiddleware apiKey() {
 *     return StampMiddleware.require((request) -&gt; "secret".equals(request.header("x-api-key")), 401, "bad API key");
 * }
 * </pre> Middleware runs on the event loop and must not block; return a {@link Mono} that
 * completes later for checks that wait on something else.
 */
@FunctionalInterface
public interface StampMiddleware {

	/**
	 * Decides about one request.
	 * @param request the request
	 * @return the decision; an empty Mono counts as {@link MiddlewareDecision#proceed()}
	 */
	Mono<MiddlewareDecision> apply(StampRequest request);

	/**
	 * Whether this middleware looks at requests of a protocol; all by default.
	 * @param protocol the protocol of a request
	 * @return {@code true} if this middleware should see such requests
	 */
	default boolean appliesTo(StampProtocol protocol) {
		return true;
	}

	/**
	 * Middleware that lets requests through only when a condition holds.
	 * @param condition the condition, evaluated on the event loop
	 * @param status the status for requests that fail it
	 * @param reason the reason for logs
	 * @return the middleware
	 */
	static StampMiddleware require(Predicate<StampRequest> condition, int status, String reason) {
		MiddlewareDecision rejection = MiddlewareDecision.reject(status, reason);
		return (request) -> Mono.just(condition.test(request) ? MiddlewareDecision.proceed() : rejection);
	}

}
