package dev.stamp.boot.cluster;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.middleware.LocalRateLimitCounter;
import dev.stamp.boot.middleware.RateLimitCounter;
import dev.stamp.boot.middleware.RateLimitWindow;

/**
 * Counts requests on Redis for every node of the cluster
 * ({@code stamp.middleware.rate-limit.scope=cluster}): one key per protocol, client
 * address and window
 * (<code>&lt;prefix&gt;ratelimit:&lt;protocol&gt;:&lt;address&gt;</code>), counted and
 * given the window's lifetime in one atomic script, so the key space holds only the
 * clients of the running windows.
 * <p>
 * Fails open: a request whose count Redis does not give within the timeout, or fails, is
 * counted by this node alone, and so are the following ones while Redis is out (a WARN
 * when that starts, an INFO when it ends). Meanwhile a single probe at a time asks Redis
 * again, at most once per {@link #PROBE_INTERVAL}, so a long outage never piles up
 * commands waiting for Redis.
 */
public final class RedisRateLimitCounter implements RateLimitCounter {

	static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(RedisRateLimitCounter.class);

	/**
	 * Counts the request and returns the count with the window's remaining lifetime in
	 * milliseconds; a key without a lifetime (the first request of its window) gets the
	 * window's, so no key outlives its window.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> INCREMENT = RedisScript.of("""
			local count = redis.call('INCR', KEYS[1])
			local ttl = redis.call('PTTL', KEYS[1])
			if ttl < 0 then
				redis.call('PEXPIRE', KEYS[1], ARGV[1])
				ttl = tonumber(ARGV[1])
			end
			return {count, ttl}
			""", List.class);

	private final Function<String, Mono<RateLimitWindow>> redis;

	private final ClusterKeys keys;

	private final Duration timeout;

	private final RateLimitCounter fallback;

	private final LongSupplier clock;

	private final AtomicBoolean outage = new AtomicBoolean();

	private final AtomicBoolean probing = new AtomicBoolean();

	private final AtomicLong nextProbe = new AtomicLong();

	RedisRateLimitCounter(ReactiveStringRedisTemplate redis, ClusterKeys keys, Duration window, Duration timeout,
			int maxTrackedClients) {
		this(script(redis, window), keys, timeout, new LocalRateLimitCounter(window, maxTrackedClients),
				System::nanoTime);
	}

	/**
	 * Creates a counter on any way of counting a key on Redis.
	 * @param redis counts a request on a key, answering the key's window
	 * @param keys the cluster's key names
	 * @param timeout how long a request waits for Redis
	 * @param fallback counts while Redis is away
	 * @param clock nanoseconds of a monotonic clock, for the probe interval
	 */
	RedisRateLimitCounter(Function<String, Mono<RateLimitWindow>> redis, ClusterKeys keys, Duration timeout,
			RateLimitCounter fallback, LongSupplier clock) {
		this.redis = redis;
		this.keys = keys;
		this.timeout = timeout;
		this.fallback = fallback;
		this.clock = clock;
	}

	@Override
	public Mono<RateLimitWindow> increment(StampProtocol protocol, InetAddress address) {
		String key = this.keys.rateLimit(protocol.id(), address.getHostAddress());
		if (this.outage.get()) {
			probe(key);
			return this.fallback.increment(protocol, address);
		}
		return count(key).timeout(this.timeout).onErrorResume((ex) -> {
			redisFailed(ex);
			return this.fallback.increment(protocol, address);
		});
	}

	/**
	 * Whether Redis failed or was too slow lately, so this node counts on its own.
	 * @return {@code true} while counting locally
	 */
	public boolean isCountingLocally() {
		return this.outage.get();
	}

	private Mono<RateLimitWindow> count(String key) {
		return Mono.defer(() -> this.redis.apply(key));
	}

	private static Function<String, Mono<RateLimitWindow>> script(ReactiveStringRedisTemplate redis, Duration window) {
		List<String> windowMillis = List.of(Long.toString(Math.max(1, window.toMillis())));
		// A script's array reply arrives as its elements or as one list, depending on the
		// driver: accept both.
		return (key) -> redis.execute(INCREMENT, List.of(key), windowMillis)
			.concatMapIterable((reply) -> (reply instanceof List<?> values) ? values : List.of(reply))
			.collectList()
			.map(RedisRateLimitCounter::window);
	}

	private static RateLimitWindow window(List<?> reply) {
		if (reply.size() != 2) {
			throw new IllegalStateException("Unexpected rate-limit reply from Redis: " + reply);
		}
		long count = ((Number) reply.get(0)).longValue();
		long ttl = ((Number) reply.get(1)).longValue();
		return RateLimitWindow.of(count, Duration.ofMillis(Math.max(0, ttl)));
	}

	/**
	 * Asks Redis again during an outage, counting the request there too. The probe has no
	 * timeout of its own: a command waiting for Redis to come back completes when it does
	 * (or fails with the connection's command timeout), and until then no other probe is
	 * sent.
	 * @param key the key of the request being counted
	 */
	private void probe(String key) {
		long now = this.clock.getAsLong();
		if (now - this.nextProbe.get() < 0 || !this.probing.compareAndSet(false, true)) {
			return;
		}
		count(key).subscribe((window) -> {
			this.probing.set(false);
			if (this.outage.compareAndSet(true, false)) {
				logger.info("Counting rate limits on Redis for the cluster again");
			}
		}, (ex) -> {
			this.nextProbe.set(this.clock.getAsLong() + PROBE_INTERVAL.toNanos());
			this.probing.set(false);
		});
	}

	private void redisFailed(Throwable ex) {
		if (this.outage.compareAndSet(false, true)) {
			this.nextProbe.set(this.clock.getAsLong() + PROBE_INTERVAL.toNanos());
			String why = (ex instanceof TimeoutException) ? "Redis did not answer within " + this.timeout
					: "Redis failed: " + ex;
			logger.warn("Counting rate limits on this node alone until Redis answers again. " + why);
		}
	}

	@Override
	public String toString() {
		return "RedisRateLimitCounter[" + this.keys.rateLimit("<protocol>", "<address>") + ", timeout " + this.timeout
				+ "]";
	}

}
