package dev.stamp.boot.middleware;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;

import reactor.core.publisher.Mono;

import dev.stamp.boot.StampProtocol;

/**
 * Limits how many requests one client address may make per protocol and time window
 * (fixed windows), answering 429 beyond it: a browser's WebSocket handshakes do not use
 * up its budget of HTTP requests. A {@link RateLimitCounter} counts the requests: in this
 * process by default ({@link LocalRateLimitCounter}, bounded to {@code maxTrackedClients}
 * addresses), or on Redis for the whole cluster.
 */
public class RateLimitMiddleware implements StampMiddleware {

	static final int TOO_MANY_REQUESTS = 429;

	private final int maxRequests;

	private final Duration window;

	private final Set<StampProtocol> protocols;

	private final RateLimitCounter counter;

	/**
	 * Creates a limiter that counts in this process, with a fixed window per client
	 * address.
	 * @param maxRequests requests allowed per client and window
	 * @param window the window's length
	 * @param protocols the protocols limited
	 * @param maxTrackedClients how many client addresses are tracked at most; past that,
	 * new clients are refused until old windows end, so a flood of spoofed addresses
	 * cannot exhaust memory
	 */
	public RateLimitMiddleware(int maxRequests, Duration window, Set<StampProtocol> protocols, int maxTrackedClients) {
		this(maxRequests, window, protocols, new LocalRateLimitCounter(window, maxTrackedClients));
	}

	/**
	 * Creates a limiter whose requests are counted by the given counter.
	 * @param maxRequests requests allowed per client and window
	 * @param window the window's length, for logs; the counter keeps the windows
	 * @param protocols the protocols limited
	 * @param counter counts each client's requests per window
	 */
	public RateLimitMiddleware(int maxRequests, Duration window, Set<StampProtocol> protocols,
			RateLimitCounter counter) {
		if (maxRequests < 1) {
			throw new IllegalArgumentException("max-requests must be at least 1, was " + maxRequests);
		}
		this.maxRequests = maxRequests;
		this.window = window;
		this.protocols = Set.copyOf(protocols);
		this.counter = counter;
	}

	@Override
	public boolean appliesTo(StampProtocol protocol) {
		return this.protocols.contains(protocol);
	}

	@Override
	public Mono<MiddlewareDecision> apply(StampRequest request) {
		return decide(request.protocol(), request.remoteAddress().getAddress());
	}

	Mono<MiddlewareDecision> decide(StampProtocol protocol, InetAddress address) {
		return this.counter.increment(protocol, address).map(this::decide);
	}

	private MiddlewareDecision decide(RateLimitWindow window) {
		if (window.untracked()) {
			return MiddlewareDecision.reject(TOO_MANY_REQUESTS, "rate limiter is tracking too many clients",
					window.remaining());
		}
		if (window.requests() <= this.maxRequests) {
			return MiddlewareDecision.proceed();
		}
		return MiddlewareDecision.reject(TOO_MANY_REQUESTS,
				"more than " + this.maxRequests + " requests in " + this.window, window.remaining());
	}

	/**
	 * The counter of this limiter's requests.
	 * @return the counter
	 */
	public RateLimitCounter getCounter() {
		return this.counter;
	}

	@Override
	public String toString() {
		return "RateLimitMiddleware[" + this.maxRequests + " per " + this.window + " on " + this.protocols
				+ " counted by " + this.counter + "]";
	}

}
