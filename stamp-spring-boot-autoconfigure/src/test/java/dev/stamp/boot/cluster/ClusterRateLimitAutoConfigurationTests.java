package dev.stamp.boot.cluster;

import java.net.InetAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.middleware.LocalRateLimitCounter;
import dev.stamp.boot.middleware.RateLimitCounter;
import dev.stamp.boot.middleware.RateLimitMiddleware;
import dev.stamp.boot.middleware.RateLimitScopeException;
import dev.stamp.boot.middleware.RateLimitWindow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which counter the rate limiter gets from {@code stamp.middleware.rate-limit.scope}, and
 * that a cluster scope without a cluster stops the application with an explanation.
 */
class ClusterRateLimitAutoConfigurationTests {

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, StampAutoConfiguration.class,
				ClusterAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
				"stamp.cluster.node-id=rate-limit-wiring", "stamp.middleware.rate-limit.enabled=true");

	@Test
	void countsLocallyByDefaultEvenInACluster() {
		this.runner.withPropertyValues("stamp.cluster.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(RateLimitMiddleware.class).doesNotHaveBean(RedisRateLimitCounter.class);
			assertThat(context.getBean(RateLimitMiddleware.class).getCounter())
				.isInstanceOf(LocalRateLimitCounter.class);
		});
	}

	@Test
	void clusterScopeCountsOnRedis() {
		this.runner
			.withPropertyValues("stamp.cluster.enabled=true", "stamp.middleware.rate-limit.scope=cluster",
					"stamp.middleware.rate-limit.cluster-timeout=250ms")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisRateLimitCounter.class);
				RedisRateLimitCounter counter = context.getBean(RedisRateLimitCounter.class);
				assertThat(context.getBean(RateLimitMiddleware.class).getCounter()).isSameAs(counter);
				assertThat(counter)
					.hasToString("RedisRateLimitCounter[stamp:ratelimit:<protocol>:<address>," + " timeout PT0.25S]");
			});
	}

	@Test
	void clusterScopeIsIgnoredWhileTheRateLimitIsOff() {
		this.runner
			.withPropertyValues("stamp.middleware.rate-limit.enabled=false", "stamp.cluster.enabled=true",
					"stamp.middleware.rate-limit.scope=cluster")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RateLimitMiddleware.class)
				.doesNotHaveBean(RedisRateLimitCounter.class));
	}

	@Test
	void clusterScopeWithoutTheClusterFailsNamingBothProperties() {
		this.runner.withPropertyValues("stamp.middleware.rate-limit.scope=cluster").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(RateLimitScopeException.class)
				.hasMessageContaining("stamp.middleware.rate-limit.scope=cluster")
				.hasMessageContaining("stamp.cluster.enabled=true");
		});
	}

	@Test
	void clusterScopeWithoutRedisFailsToo() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(StampAutoConfiguration.class, ClusterAutoConfiguration.class))
			.withPropertyValues("stamp.middleware.rate-limit.enabled=true", "stamp.cluster.enabled=true",
					"stamp.middleware.rate-limit.scope=cluster")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(RateLimitScopeException.class));
	}

	@Test
	void applicationsOwnCounterWins() {
		this.runner
			.withPropertyValues("stamp.cluster.enabled=true", "stamp.middleware.rate-limit.scope=cluster",
					"stamp.middleware.rate-limit.max-requests=1")
			.withUserConfiguration(OwnCounter.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RedisRateLimitCounter.class);
				RateLimitMiddleware limiter = context.getBean(RateLimitMiddleware.class);
				assertThat(limiter.getCounter()).isSameAs(context.getBean(RateLimitCounter.class));
				assertThat(limiter.getCounter().increment(StampProtocol.HTTP, InetAddress.getLoopbackAddress()).block())
					.isEqualTo(RateLimitWindow.of(7, Duration.ofSeconds(1)));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCounter {

		@Bean
		RateLimitCounter ownCounter() {
			return (protocol, address) -> Mono.just(RateLimitWindow.of(7, Duration.ofSeconds(1)));
		}

	}

}
