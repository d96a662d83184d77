package dev.stamp.boot.middleware;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

import dev.stamp.boot.StampProtocol;

/**
 * Counts requests in this process, per client address, protocol and fixed window. Memory
 * stays bounded: at most {@code maxTrackedClients} clients are tracked, windows that have
 * ended are dropped when the table fills, and a new client finding it full of live
 * windows is {@link RateLimitWindow#untracked untracked}.
 */
public final class LocalRateLimitCounter implements RateLimitCounter {

	private final long windowNanos;

	private final int maxTrackedClients;

	private final LongSupplier clock;

	private final Map<Client, Window> windows = new ConcurrentHashMap<>();

	/**
	 * Creates a counter on the system's monotonic clock.
	 * @param window the window's length
	 * @param maxTrackedClients how many clients are tracked at most
	 */
	public LocalRateLimitCounter(Duration window, int maxTrackedClients) {
		this(window, maxTrackedClients, System::nanoTime);
	}

	LocalRateLimitCounter(Duration window, int maxTrackedClients, LongSupplier clock) {
		this.windowNanos = window.toNanos();
		this.maxTrackedClients = maxTrackedClients;
		this.clock = clock;
	}

	@Override
	public Mono<RateLimitWindow> increment(StampProtocol protocol, InetAddress address) {
		return Mono.just(count(protocol, address));
	}

	private RateLimitWindow count(StampProtocol protocol, InetAddress address) {
		Client client = new Client(protocol, address);
		long now = this.clock.getAsLong();
		if (this.windows.size() >= this.maxTrackedClients && !this.windows.containsKey(client)) {
			this.windows.values().removeIf((window) -> now - window.start >= this.windowNanos);
			if (this.windows.size() >= this.maxTrackedClients) {
				return RateLimitWindow.untracked(Duration.ofNanos(this.windowNanos));
			}
		}
		Window window = this.windows.compute(client, (key, current) -> {
			if (current == null || now - current.start >= this.windowNanos) {
				return new Window(now, 1);
			}
			return new Window(current.start, current.count + 1);
		});
		return RateLimitWindow.of(window.count, Duration.ofNanos(this.windowNanos - (now - window.start)));
	}

	@Override
	public String toString() {
		return "LocalRateLimitCounter[" + Duration.ofNanos(this.windowNanos) + ", at most " + this.maxTrackedClients
				+ " clients]";
	}

	private record Window(long start, long count) {
	}

	private record Client(StampProtocol protocol, InetAddress address) {
	}

}
