package dev.stamp.boot.middleware;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

import dev.stamp.boot.StampProtocol;

/**
 * Limits how many requests one client address may make per protocol and time window
 * (fixed windows), answering 429 beyond it: a browser's WebSocket handshakes do not use
 * up its budget of HTTP requests. Memory stays bounded: at most {@code maxTrackedClients}
 * addresses are tracked, and windows that have ended are dropped when the table fills.
 */
public class RateLimitMiddleware implements StampMiddleware {

	static final int TOO_MANY_REQUESTS = 429;

	private final int maxRequests;

	private final long windowNanos;

	private final Set<StampProtocol> protocols;

	private final int maxTrackedClients;

	private final LongSupplier clock;

	private final Map<Client, Window> windows = new ConcurrentHashMap<>();

	/**
	 * Creates a limiter with a fixed window per client address.
	 * @param maxRequests requests allowed per client and window
	 * @param window the window's length
	 * @param protocols the protocols limited
	 * @param maxTrackedClients how many client addresses are tracked at most; past that,
	 * new clients are refused until old windows end, so a flood of spoofed addresses
	 * cannot exhaust memory
	 */
	public RateLimitMiddleware(int maxRequests, Duration window, Set<StampProtocol> protocols, int maxTrackedClients) {
		this(maxRequests, window, protocols, maxTrackedClients, System::nanoTime);
	}

	RateLimitMiddleware(int maxRequests, Duration window, Set<StampProtocol> protocols, int maxTrackedClients,
			LongSupplier clock) {
		if (maxRequests < 1) {
			throw new IllegalArgumentException("max-requests must be at least 1, was " + maxRequests);
		}
		this.maxRequests = maxRequests;
		this.windowNanos = window.toNanos();
		this.protocols = Set.copyOf(protocols);
		this.maxTrackedClients = maxTrackedClients;
		this.clock = clock;
	}

	@Override
	public boolean appliesTo(StampProtocol protocol) {
		return this.protocols.contains(protocol);
	}

	@Override
	public Mono<MiddlewareDecision> apply(StampRequest request) {
		return Mono.just(decide(request.protocol(), request.remoteAddress().getAddress()));
	}

	MiddlewareDecision decide(StampProtocol protocol, InetAddress address) {
		Client client = new Client(protocol, address);
		long now = this.clock.getAsLong();
		if (this.windows.size() >= this.maxTrackedClients && !this.windows.containsKey(client)) {
			this.windows.values().removeIf((window) -> now - window.start >= this.windowNanos);
			if (this.windows.size() >= this.maxTrackedClients) {
				return MiddlewareDecision.reject(TOO_MANY_REQUESTS, "rate limiter is tracking too many clients",
						Duration.ofNanos(this.windowNanos));
			}
		}
		Window window = this.windows.compute(client, (key, current) -> {
			if (current == null || now - current.start >= this.windowNanos) {
				return new Window(now, 1);
			}
			return new Window(current.start, current.count + 1);
		});
		if (window.count <= this.maxRequests) {
			return MiddlewareDecision.proceed();
		}
		Duration untilWindowEnds = Duration.ofNanos(this.windowNanos - (now - window.start));
		return MiddlewareDecision.reject(TOO_MANY_REQUESTS,
				"more than " + this.maxRequests + " requests in " + Duration.ofNanos(this.windowNanos),
				untilWindowEnds);
	}

	@Override
	public String toString() {
		return "RateLimitMiddleware[" + this.maxRequests + " per " + Duration.ofNanos(this.windowNanos) + " on "
				+ this.protocols + "]";
	}

	private record Window(long start, int count) {
	}

	private record Client(StampProtocol protocol, InetAddress address) {
	}

}
