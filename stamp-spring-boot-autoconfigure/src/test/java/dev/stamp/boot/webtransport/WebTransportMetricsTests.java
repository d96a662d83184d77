package dev.stamp.boot.webtransport;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.actuate.StampActuatorAutoConfiguration;
import dev.stamp.boot.actuate.StampListenerMetrics;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.client.WebTransportClient;

import static dev.stamp.boot.webtransport.WebTransportListenerTests.client;
import static dev.stamp.boot.webtransport.WebTransportListenerTests.url;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebTransport sessions, streams and datagrams reach Micrometer.
 */
class WebTransportMetricsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Test
	void sessionStreamAndDatagramCountersAreMeters() {
		StampContextRunner.create()
			.withConfiguration(AutoConfigurations.of(StampActuatorAutoConfiguration.class))
			.withUserConfiguration(Registry.class)
			.withPropertyValues("stamp.webtransport.echo-path=/echo")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(StampListenerMetrics.class).bindTo(registry);
				try (WebTransportClient client = client(context)) {
					WebTransportSession session = client.connect(url(context, "/echo")).block(TIMEOUT);
					session.datagrams().next().doOnSubscribe((s) -> session.sendDatagram(new byte[] { 1 }).subscribe())
						.block(TIMEOUT);
					assertThat(registry.get("stamp.sessions.active").tag("protocol", "webtransport").gauge().value())
						.isEqualTo(1);
					assertThat(registry.get("stamp.sessions.accepted").functionCounter().count()).isEqualTo(1);
					assertThat(registry.get("stamp.datagrams.received").functionCounter().count()).isEqualTo(1);
					assertThat(registry.get("stamp.datagrams.sent").functionCounter().count()).isEqualTo(1);
					assertThat(registry.get("stamp.connections.active").tag("protocol", "webtransport").gauge().value())
						.isEqualTo(1);
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
