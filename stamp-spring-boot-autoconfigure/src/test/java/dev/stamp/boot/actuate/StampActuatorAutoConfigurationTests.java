package dev.stamp.boot.actuate;

import java.io.IOException;
import java.net.Socket;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.cluster.ClusterAutoConfiguration;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.tcp.TcpListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, meters and the {@code stamp} endpoint against a running TCP listener.
 */
class StampActuatorAutoConfigurationTests {

	private final ApplicationContextRunner runner = StampContextRunner.create()
		.withConfiguration(AutoConfigurations.of(StampActuatorAutoConfiguration.class))
		.withUserConfiguration(Routes.class)
		.withPropertyValues("management.endpoints.web.exposure.include=stamp", "stamp.tcp.max-connections=1");

	@Test
	void healthIsUpWithDetailsWhileListeningAndDownWhenAConfiguredListenerIsNot() {
		this.runner.run((context) -> {
			StampHealthIndicator health = context.getBean(StampHealthIndicator.class);
			Health up = health.health(true);
			assertThat(up.getStatus()).isEqualTo(Status.UP);
			assertThat(up.getDetails()).containsOnlyKeys("tcp");
			assertThat(up.getDetails().get("tcp").toString()).contains("status=listening")
				.contains("port=" + StampContextRunner.port(context, StampProtocol.TCP));
			context.getBean(TcpListener.class).stop();
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void healthContributorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.stamp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StampHealthIndicator.class));
	}

	@Test
	void metersFollowTheListenersCounters() {
		this.runner.withUserConfiguration(Registry.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(StampListenerMetrics.class).bindTo(registry);
			int port = StampContextRunner.port(context, StampProtocol.TCP);
			try (Socket held = new Socket("127.0.0.1", port)) {
				held.getOutputStream().write('x');
				assertThat(held.getInputStream().read()).isEqualTo('x');
				try (Socket refused = new Socket("127.0.0.1", port)) {
					refused.setSoTimeout(5_000);
					assertThat(refused.getInputStream().read()).isEqualTo(-1);
				}
				assertThat(registry.get("stamp.connections.active").tag("protocol", "tcp").gauge().value())
					.isEqualTo(1);
				assertThat(registry.get("stamp.connections.max").tag("protocol", "tcp").gauge().value()).isEqualTo(1);
				assertThat(registry.get("stamp.connections.accepted").tag("protocol", "tcp").functionCounter().count())
					.isEqualTo(1);
				assertThat(registry.get("stamp.connections.refused").tag("protocol", "tcp").functionCounter().count())
					.isEqualTo(1);
			}
		});
	}

	@Test
	void endpointListsListenersRoutesAndCounters() {
		this.runner.run((context) -> {
			StampEndpoint endpoint = context.getBean(StampEndpoint.class);
			StampEndpoint.StampDescriptor all = endpoint.stamp();
			assertThat(all.listeners()).containsOnlyKeys("tcp", "websocket", "http", "webtransport");
			StampEndpoint.ListenerDescriptor tcp = (StampEndpoint.ListenerDescriptor) endpoint.part("tcp", null);
			assertThat(tcp.running()).isTrue();
			assertThat(tcp.port()).isEqualTo(StampContextRunner.port(context, StampProtocol.TCP));
			assertThat(tcp.routes()).containsExactly("stampActuatorAutoConfigurationTests.Routes#echo(TcpConnection)");
			assertThat(tcp.connections().maxConnections()).isEqualTo(1);
			assertThat(((StampEndpoint.ListenerDescriptor) endpoint.part("http", null)).running()).isFalse();
			assertThat(endpoint.part("nonsense", null)).isNull();
			assertThat(endpoint.part("cluster", null)).isNull();
		});
	}

	@Test
	void endpointWorksWithTheClusterSwitchedOnButWithoutRedisOnTheClasspath() {
		this.runner.withConfiguration(AutoConfigurations.of(ClusterAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
			.withPropertyValues("stamp.cluster.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ClusterContributor.class);
				StampEndpoint endpoint = context.getBean(StampEndpoint.class);
				assertThat(endpoint.stamp().listeners()).containsKey("tcp");
				assertThat(endpoint.part("cluster", null)).isNull();
			});
	}

	@Test
	void endpointBacksOffWhenNotExposed() {
		StampContextRunner.create()
			.withConfiguration(AutoConfigurations.of(StampActuatorAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(StampEndpoint.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute
		void echo(TcpConnection connection) throws IOException {
			byte[] data = connection.read(64);
			while (data.length > 0) {
				connection.send(data);
				data = connection.read(64);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
