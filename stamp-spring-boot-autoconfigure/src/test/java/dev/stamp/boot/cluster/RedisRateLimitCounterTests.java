package dev.stamp.boot.cluster;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.middleware.RateLimitWindow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failure policy of {@link RedisRateLimitCounter} against a Redis whose answers the
 * test holds or gives: a bounded wait, the local count during an outage, and never more
 * than one command waiting for a Redis that is away.
 */
class RedisRateLimitCounterTests {

	private static final RateLimitWindow LOCAL = RateLimitWindow.of(-1, Duration.ofSeconds(1));

	private final AtomicLong now = new AtomicLong();

	private final List<Sinks.One<RateLimitWindow>> pending = new CopyOnWriteArrayList<>();

	private final List<String> keys = new CopyOnWriteArrayList<>();

	private final RedisRateLimitCounter counter = new RedisRateLimitCounter((key) -> {
		this.keys.add(key);
		Sinks.One<RateLimitWindow> answer = Sinks.one();
		this.pending.add(answer);
		return answer.asMono();
	}, new ClusterKeys("test:"), Duration.ofMillis(500), (protocol, address) -> Mono.just(LOCAL), this.now::get);

	@Test
	void countsOnRedisWhileItAnswers() throws Exception {
		Mono<RateLimitWindow> counted = this.counter.increment(StampProtocol.HTTP, InetAddress.getByName("10.1.2.3"));
		RateLimitWindow[] result = new RateLimitWindow[1];
		counted.subscribe((window) -> result[0] = window);
		assertThat(this.keys).containsExactly("test:ratelimit:http:10.1.2.3");
		this.pending.get(0).tryEmitValue(RateLimitWindow.of(3, Duration.ofMillis(900)));
		assertThat(result[0]).isEqualTo(RateLimitWindow.of(3, Duration.ofMillis(900)));
		assertThat(this.counter.isCountingLocally()).isFalse();
	}

	@Test
	void aSilentRedisCostsOneTimeoutThenOneProbeAtATime() throws Exception {
		InetAddress client = InetAddress.getByName("10.1.2.3");
		long start = System.nanoTime();
		assertThat(this.counter.increment(StampProtocol.HTTP, client).block(Duration.ofSeconds(5))).isEqualTo(LOCAL);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(this.counter.isCountingLocally()).isTrue();
		for (int i = 0; i < 1000; i++) {
			assertThat(this.counter.increment(StampProtocol.HTTP, client).block(Duration.ofMillis(10)))
				.as("answered at once, locally")
				.isEqualTo(LOCAL);
		}
		assertThat(this.pending).as("no probe before the interval").hasSize(1);
		this.now.addAndGet(RedisRateLimitCounter.PROBE_INTERVAL.toNanos());
		for (int i = 0; i < 1000; i++) {
			this.counter.increment(StampProtocol.HTTP, client).block(Duration.ofMillis(10));
		}
		assertThat(this.pending).as("one probe, still waiting for Redis").hasSize(2);
		this.now.addAndGet(RedisRateLimitCounter.PROBE_INTERVAL.toNanos() * 10);
		this.counter.increment(StampProtocol.HTTP, client).block(Duration.ofMillis(10));
		assertThat(this.pending).as("never a second probe while one waits").hasSize(2);

		this.pending.get(1).tryEmitValue(RateLimitWindow.of(1, Duration.ofSeconds(1)));
		assertThat(this.counter.isCountingLocally()).as("Redis answered the probe").isFalse();
		this.counter.increment(StampProtocol.HTTP, client).subscribe();
		assertThat(this.pending).as("back to Redis").hasSize(3);
	}

	@Test
	void aFailingProbeIsRetriedAfterTheInterval() throws Exception {
		InetAddress client = InetAddress.getByName("10.1.2.3");
		this.counter.increment(StampProtocol.HTTP, client).subscribe();
		this.pending.get(0).tryEmitError(new IllegalStateException("connection refused"));
		assertThat(this.counter.isCountingLocally()).isTrue();
		this.now.addAndGet(RedisRateLimitCounter.PROBE_INTERVAL.toNanos());
		this.counter.increment(StampProtocol.HTTP, client).block(Duration.ofMillis(10));
		this.pending.get(1).tryEmitError(new IllegalStateException("connection refused"));
		this.counter.increment(StampProtocol.HTTP, client).block(Duration.ofMillis(10));
		assertThat(this.pending).as("the next probe waits for the interval").hasSize(2);
		this.now.addAndGet(RedisRateLimitCounter.PROBE_INTERVAL.toNanos());
		this.counter.increment(StampProtocol.HTTP, client).block(Duration.ofMillis(10));
		assertThat(this.pending).hasSize(3);
		assertThat(this.counter.isCountingLocally()).isTrue();
	}

}
