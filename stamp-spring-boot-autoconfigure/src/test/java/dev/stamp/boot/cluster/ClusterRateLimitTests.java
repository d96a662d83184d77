package dev.stamp.boot.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpAutoConfiguration;
import dev.stamp.boot.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code stamp.middleware.rate-limit.scope=cluster} on two nodes (two application
 * contexts with their own HTTP listener) sharing a real {@code redis-server}: one budget
 * per client for the whole cluster, keys that expire with their window, and a local count
 * while Redis is away. Clients are told apart by their source address: each request binds
 * its socket to an address of 127.0.0.0/8.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterRateLimitTests {

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	@Test
	void theLimitIsSharedByEveryNode() throws Exception {
		try (RateLimitedNode alpha = RateLimitedNode.start("shared-alpha", "shared:", "3s", "2s");
				RateLimitedNode beta = RateLimitedNode.start("shared-beta", "shared:", "3s", "2s")) {
			String client = "127.0.0.2";
			assertThat(List.of(alpha.get(client), beta.get(client), alpha.get(client), beta.get(client)))
				.as("four requests over both nodes, the limit")
				.containsOnly(200);
			assertThat(beta.get(client)).as("the fifth, on either node").isEqualTo(429);
			assertThat(alpha.get(client)).isEqualTo(429);
			assertThat(beta.get("127.0.0.3")).as("another client has its own budget").isEqualTo(200);
			Duration ttl = alpha.redis().getExpire("shared:ratelimit:http:" + client).block();
			assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(3));
			assertThat(alpha.counter().isCountingLocally() || beta.counter().isCountingLocally())
				.as("Redis answered every request in time")
				.isFalse();
			await().atMost(Duration.ofSeconds(15)).until(() -> alpha.get(client) == 200);
			assertThat(beta.get(client)).as("a new window, shared too").isEqualTo(200);
		}
	}

	@Test
	void everyKeyExpiresWithItsWindow() throws Exception {
		try (RateLimitedNode node = RateLimitedNode.start("bounded", "bounded:", "10s", "2s")) {
			for (int i = 10; i < 50; i++) {
				assertThat(node.get("127.0.0." + i)).isEqualTo(200);
			}
			List<String> keys = node.rateLimitKeys();
			assertThat(keys).hasSize(40).allMatch((key) -> key.startsWith("bounded:ratelimit:http:127.0.0."));
			for (String key : keys) {
				assertThat(node.redis().getExpire(key).block()).as(key)
					.isPositive()
					.isLessThanOrEqualTo(Duration.ofSeconds(10));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> node.rateLimitKeys().isEmpty());
		}
	}

	@Test
	void whileRedisIsAwayEachNodeCountsOnItsOwnThenTheClusterCountsAgain(CapturedOutput output) throws Exception {
		try (RateLimitedNode alpha = RateLimitedNode.start("fault-alpha", "fault:", "1m", "500ms");
				RateLimitedNode beta = RateLimitedNode.start("fault-beta", "fault:", "1m", "500ms")) {
			assertThat(alpha.get("127.0.0.20")).isEqualTo(200);
			assertThat(alpha.rateLimitKeys()).containsExactly("fault:ratelimit:http:127.0.0.20");

			redis.stop();
			List<Integer> during = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				long start = System.nanoTime();
				during.add(alpha.get("127.0.0.21"));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("decided without waiting for Redis")
					.isLessThan(Duration.ofSeconds(3));
			}
			assertThat(during).as("this node's own count of the limit").containsExactly(200, 200, 200, 200, 429);
			assertThat(alpha.counter().isCountingLocally()).isTrue();

			redis.start();
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				alpha.get("127.0.0.22");
				beta.get("127.0.0.22");
				return !alpha.counter().isCountingLocally() && !beta.counter().isCountingLocally();
			});
			String client = "127.0.0.23";
			assertThat(List.of(alpha.get(client), beta.get(client), alpha.get(client), beta.get(client)))
				.containsOnly(200);
			assertThat(alpha.get(client)).as("counted for the cluster again").isEqualTo(429);
			assertThat(alpha.redis().getExpire("fault:ratelimit:http:" + client).block()).isPositive();
			assertThat(output.getAll()).containsPattern(
					"WARN .*RedisRateLimitCounter - Counting rate limits on this node alone until Redis answers again")
				.containsPattern("INFO .*RedisRateLimitCounter - Counting rate limits on Redis for the cluster again");
		}
		finally {
			redis.start();
		}
	}

	/** A node with an HTTP listener limited to 4 requests per client and window. */
	private static final class RateLimitedNode implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final int port;

		private final ReactiveStringRedisTemplate template;

		private final String prefix;

		private RateLimitedNode(ConfigurableApplicationContext context, String prefix) {
			this.context = context;
			this.port = StampContextRunner.port(context, StampProtocol.HTTP);
			this.template = new ReactiveStringRedisTemplate(context.getBean(ReactiveRedisConnectionFactory.class));
			this.prefix = prefix;
		}

		static RateLimitedNode start(String nodeId, String prefix, String window, String timeout) {
			return new RateLimitedNode(new SpringApplicationBuilder(Node.class).web(WebApplicationType.NONE)
				.properties("spring.data.redis.host=127.0.0.1",
						"spring.data.redis.port=" + ClusterRateLimitTests.redis.port(), "stamp.cluster.enabled=true",
						"stamp.cluster.node-id=" + nodeId, "stamp.cluster.key-prefix=" + prefix,
						"stamp.cluster.heartbeat=200ms", "stamp.cluster.node-timeout=2s", "stamp.http.host=127.0.0.1",
						"stamp.http.port=0", "stamp.middleware.rate-limit.enabled=true",
						"stamp.middleware.rate-limit.scope=cluster", "stamp.middleware.rate-limit.protocols=http",
						"stamp.middleware.rate-limit.max-requests=4", "stamp.middleware.rate-limit.window=" + window,
						"stamp.middleware.rate-limit.cluster-timeout=" + timeout, "spring.main.banner-mode=off",
						"logging.level.root=warn", "logging.level.dev.stamp.boot.cluster.RedisRateLimitCounter=info")
				.run(), prefix);
		}

		/** The status of a GET from a client address, on a connection of its own. */
		int get(String clientAddress) throws IOException {
			try (Socket socket = new Socket()) {
				socket.bind(new InetSocketAddress(clientAddress, 0));
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
				socket.setSoTimeout(10_000);
				socket.getOutputStream()
					.write("GET /hit HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
						.getBytes(StandardCharsets.US_ASCII));
				String statusLine = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
					.readLine();
				return Integer.parseInt(statusLine.split(" ")[1]);
			}
		}

		RedisRateLimitCounter counter() {
			return this.context.getBean(RedisRateLimitCounter.class);
		}

		ReactiveStringRedisTemplate redis() {
			return this.template;
		}

		List<String> rateLimitKeys() {
			ScanOptions pattern = ScanOptions.scanOptions()
				.match(new ClusterKeys(this.prefix).rateLimitPattern())
				.build();
			return this.template.scan(pattern).collectList().block(Duration.ofSeconds(10));
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, StampAutoConfiguration.class,
			HttpAutoConfiguration.class, ClusterAutoConfiguration.class })
	static class Node {

		@StampRoute(path = "/hit", method = HttpMethod.GET)
		String hit(HttpRequest request) {
			return "hit";
		}

	}

}
