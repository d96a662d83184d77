package dev.stamp.boot.middleware;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import dev.stamp.boot.StampProtocol;

/**
 * The application's middleware, in order, applied to one request at a time. Every
 * listener uses the same chain; each middleware picks its protocols with
 * {@link StampMiddleware#appliesTo}. Refusals are counted per protocol, whichever
 * middleware refused (the built-in origin check and rate limiter included), and logged at
 * DEBUG.
 */
public class MiddlewareChain {

	private static final Log logger = LogFactory.getLog(MiddlewareChain.class);

	private final List<StampMiddleware> middleware;

	private final Map<StampProtocol, LongAdder> refusals = new EnumMap<>(StampProtocol.class);

	public MiddlewareChain(List<StampMiddleware> middleware) {
		this.middleware = List.copyOf(middleware);
		for (StampProtocol protocol : StampProtocol.values()) {
			this.refusals.put(protocol, new LongAdder());
		}
	}

	/**
	 * Whether any middleware looks at a protocol's requests, so listeners can skip
	 * building requests for nothing.
	 * @param protocol the protocol
	 * @return {@code true} if some middleware applies to it
	 */
	public boolean appliesTo(StampProtocol protocol) {
		return this.middleware.stream().anyMatch((each) -> each.appliesTo(protocol));
	}

	/**
	 * Runs the request through the middleware of its protocol.
	 * @param request the request
	 * @return the first rejection, or {@link MiddlewareDecision#proceed()}; a middleware
	 * that fails counts as a rejection with 500, so a bug in a check never lets a request
	 * through
	 */
	public Mono<MiddlewareDecision> evaluate(StampRequest request) {
		Mono<MiddlewareDecision> decision = Mono.just(MiddlewareDecision.proceed());
		for (StampMiddleware each : this.middleware) {
			if (!each.appliesTo(request.protocol())) {
				continue;
			}
			decision = decision
				.flatMap((previous) -> previous.isRejected() ? Mono.just(previous) : evaluate(each, request));
		}
		return decision.doOnNext((result) -> {
			if (result.isRejected()) {
				this.refusals.get(request.protocol()).increment();
				if (logger.isDebugEnabled()) {
					logger.debug("Middleware refused " + request + " with " + result.status() + ": " + result.reason());
				}
			}
		});
	}

	/**
	 * How many requests of a protocol the middleware has refused so far.
	 * @param protocol the protocol
	 * @return the count, only ever growing
	 */
	public long refusals(StampProtocol protocol) {
		return this.refusals.get(protocol).sum();
	}

	private static Mono<MiddlewareDecision> evaluate(StampMiddleware middleware, StampRequest request) {
		return Mono.defer(() -> middleware.apply(request))
			.defaultIfEmpty(MiddlewareDecision.proceed())
			.onErrorResume((error) -> {
				logger.error("Middleware " + middleware + " failed for " + request + "; refusing it", error);
				return Mono.just(MiddlewareDecision.reject(500, "middleware failed"));
			});
	}

}
