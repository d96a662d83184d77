package dev.stamp.boot.middleware;

import java.net.InetAddress;

import reactor.core.publisher.Mono;

import dev.stamp.boot.StampProtocol;

/**
 * Counts a client's requests in the current fixed window for {@link RateLimitMiddleware}:
 * in this process ({@link LocalRateLimitCounter}) or shared by every node of a cluster
 * (on Redis). Declaring a bean of this type replaces the counter the
 * {@code stamp.middleware.rate-limit.scope} property picks.
 */
@FunctionalInterface
public interface RateLimitCounter {

	/**
	 * Counts one more request of a client in its current window, starting a new window if
	 * none is running. Called on an event loop: it must not block.
	 * @param protocol the protocol of the request; each protocol has its own window
	 * @param address the client's address
	 * @return the client's window after counting the request
	 */
	Mono<RateLimitWindow> increment(StampProtocol protocol, InetAddress address);

}
