package dev.stamp.boot.middleware;

import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.stamp.boot.StampProtocol;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitMiddlewareTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final RateLimitMiddleware limiter = new RateLimitMiddleware(3, Duration.ofSeconds(10),
			EnumSet.of(StampProtocol.HTTP), new LocalRateLimitCounter(Duration.ofSeconds(10), 2, this.now::get));

	@Test
	void allowsNRequestsPerWindowAndRefusesTheNextWith429() throws Exception {
		InetAddress client = InetAddress.getByName("10.0.0.1");
		for (int i = 0; i < 3; i++) {
			assertThat(decide(StampProtocol.HTTP, client).isRejected()).isFalse();
		}
		this.now.addAndGet(Duration.ofMillis(2_500).toNanos());
		MiddlewareDecision refused = decide(StampProtocol.HTTP, client);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.retryAfter()).as("until the window ends").isEqualTo(Duration.ofMillis(7_500));
		assertThat(decide(StampProtocol.HTTP, InetAddress.getByName("10.0.0.2")).isRejected())
			.as("other clients have their own window")
			.isFalse();
		this.now.addAndGet(Duration.ofMillis(7_500).toNanos());
		assertThat(decide(StampProtocol.HTTP, client).isRejected()).as("a new window").isFalse();
	}

	@Test
	void tracksABoundedNumberOfClients() throws Exception {
		assertThat(decide(StampProtocol.HTTP, InetAddress.getByName("10.0.0.1")).isRejected()).isFalse();
		assertThat(decide(StampProtocol.HTTP, InetAddress.getByName("10.0.0.2")).isRejected()).isFalse();
		assertThat(decide(StampProtocol.HTTP, InetAddress.getByName("10.0.0.3")).status()).isEqualTo(429);
		this.now.addAndGet(Duration.ofSeconds(11).toNanos());
		assertThat(decide(StampProtocol.HTTP, InetAddress.getByName("10.0.0.3")).isRejected())
			.as("ended windows make room")
			.isFalse();
	}

	@Test
	void eachProtocolHasItsOwnBudget() throws Exception {
		InetAddress client = InetAddress.getByName("10.0.0.1");
		for (int i = 0; i < 3; i++) {
			decide(StampProtocol.HTTP, client);
		}
		assertThat(decide(StampProtocol.HTTP, client).isRejected()).isTrue();
		assertThat(decide(StampProtocol.WEBSOCKET, client).isRejected()).isFalse();
	}

	private MiddlewareDecision decide(StampProtocol protocol, InetAddress address) {
		return this.limiter.decide(protocol, address).block();
	}

	@Test
	void appliesOnlyToItsProtocols() {
		assertThat(this.limiter.appliesTo(StampProtocol.HTTP)).isTrue();
		assertThat(this.limiter.appliesTo(StampProtocol.TCP)).isFalse();
	}

}
