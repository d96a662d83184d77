package dev.stamp.boot.monitor;

import java.net.Socket;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.actuate.StampActuatorAutoConfiguration;
import dev.stamp.boot.actuate.StampEndpoint;
import dev.stamp.boot.actuate.StampHealthIndicator;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.tcp.TcpListener;
import dev.stamp.core.BlockingHandlerExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The monitor, its verdict in health and the diagnosis against a real TCP listener,
 * sampled on demand and on the interval.
 */
class StampMonitorTests {

	private final ApplicationContextRunner runner = StampContextRunner.create()
		.withConfiguration(AutoConfigurations.of(MonitorAutoConfiguration.class, StampActuatorAutoConfiguration.class))
		.withUserConfiguration(Routes.class)
		.withPropertyValues("stamp.tcp.max-connections=1", "stamp.monitor.history-size=3",
				"management.endpoints.web.exposure.include=stamp");

	@Test
	void healthyWhileIdleDegradedAtTheLimitUnhealthyWhenAListenerStops() {
		this.runner.run((context) -> {
			StampMonitor monitor = context.getBean(StampMonitor.class);
			monitor.sample();
			assertThat(monitor.status().state()).isEqualTo("healthy");
			int port = StampContextRunner.port(context, StampProtocol.TCP);
			try (Socket held = new Socket("127.0.0.1", port)) {
				held.getOutputStream().write('x');
				assertThat(held.getInputStream().read()).isEqualTo('x');
				try (Socket refused = new Socket("127.0.0.1", port)) {
					refused.setSoTimeout(5_000);
					assertThat(refused.getInputStream().read()).isEqualTo(-1);
				}
				monitor.sample();
				MonitorStatus degraded = monitor.status();
				assertThat(degraded.state()).isEqualTo("degraded");
				assertThat(degraded.alerts()).extracting(MonitorAlert::message)
					.containsExactlyInAnyOrder("1 of 1 connections in use (100%)",
							"1 connection(s) refused at max-connections since the previous sample");
			}
			context.getBean(TcpListener.class).stop();
			monitor.sample();
			assertThat(monitor.status().state()).isEqualTo("unhealthy");
			assertThat(monitor.status().alerts()).singleElement()
				.satisfies((alert) -> assertThat(alert.severity()).isEqualTo(MonitorAlert.Severity.CRITICAL));
			monitor.sample();
			assertThat(monitor.history(10)).as("bounded by stamp.monitor.history-size").hasSize(3);
			assertThat(monitor.alerts(2)).hasSize(2);
		});
	}

	@Test
	void endpointShowsVerdictDiagnosisAlertsAndHistory() {
		this.runner.withPropertyValues("stamp.tcp.idle-timeout=0s").run((context) -> {
			StampMonitor monitor = context.getBean(StampMonitor.class);
			monitor.sample();
			StampEndpoint endpoint = context.getBean(StampEndpoint.class);
			StampEndpoint.StampDescriptor all = endpoint.stamp();
			assertThat(all.monitor().state()).isEqualTo("healthy");
			assertThat(all.diagnosis()).anySatisfy((finding) -> assertThat(finding).contains("stamp.tcp.idle-timeout"));
			// CI runs the suite on Java 17 and on 25, so both branches are checked.
			if (BlockingHandlerExecutor.virtualThreadsAvailable()) {
				assertThat(all.diagnosis())
					.noneSatisfy((finding) -> assertThat(finding).contains("no virtual threads"));
			}
			else {
				assertThat(all.diagnosis()).anySatisfy((finding) -> assertThat(finding).contains("no virtual threads"));
			}
			assertThat((List<?>) endpoint.part("history", null)).hasSize(1);
			assertThat((List<?>) endpoint.part("alerts", null)).isEmpty();
		});
	}

	@Test
	void healthFollowsTheMonitorsVerdict() {
		this.runner.run((context) -> {
			StampMonitor monitor = context.getBean(StampMonitor.class);
			StampHealthIndicator health = context.getBean(StampHealthIndicator.class);
			monitor.sample();
			Health healthy = health.health(true);
			assertThat(healthy.getStatus()).isEqualTo(Status.UP);
			assertThat(healthy.getDetails().get("monitor").toString()).contains("state=healthy");
			int port = StampContextRunner.port(context, StampProtocol.TCP);
			try (Socket held = new Socket("127.0.0.1", port)) {
				held.getOutputStream().write('x');
				assertThat(held.getInputStream().read()).isEqualTo('x');
				monitor.sample();
				Health degraded = health.health(true);
				assertThat(degraded.getStatus()).as("a listener at its limit still serves, but should get no more")
					.isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(degraded.getDetails().get("monitor").toString()).contains("state=degraded")
					.contains("WARNING tcp: 1 of 1 connections in use (100%)");
				assertThat(degraded.getDetails().get("tcp").toString()).contains("status=listening");
			}
			Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				monitor.sample();
				assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			});
			context.getBean(TcpListener.class).stop();
			assertThat(health.health(true).getStatus()).as("not listening counts at once, before any sample")
				.isEqualTo(Status.DOWN);
			monitor.sample();
			assertThat(health.health(true).getDetails().get("monitor").toString()).contains("state=unhealthy")
				.contains("CRITICAL tcp: listener is not running although it has routes");
		});
	}

	@Test
	void monitorSamplesOnItsInterval() {
		this.runner.withPropertyValues("stamp.monitor.interval=20ms", "stamp.monitor.history-size=5").run((context) -> {
			StampMonitor monitor = context.getBean(StampMonitor.class);
			assertThat(monitor.isRunning()).isTrue();
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(monitor.history(10)).hasSize(5));
			List<MonitorSample> history = monitor.history(10);
			assertThat(history).extracting(MonitorSample::time).isSortedAccordingTo(Comparator.reverseOrder());
			assertThat(history).allSatisfy((sample) -> assertThat(sample.listeners()).containsOnlyKeys("tcp"));
			assertThat(monitor.status().sampledAt()).isNotNull();
		});
	}

	@Test
	void alertsAndHistoryShowAsManyAsAskedWithinWhatTheMonitorKeeps() {
		this.runner.withPropertyValues("stamp.monitor.alert-history-size=4").run((context) -> {
			StampMonitor monitor = context.getBean(StampMonitor.class);
			StampEndpoint endpoint = context.getBean(StampEndpoint.class);
			context.getBean(TcpListener.class).stop();
			for (int i = 0; i < 5; i++) {
				monitor.sample();
			}
			assertThat((List<?>) endpoint.part("history", 2)).hasSize(2);
			assertThat((List<?>) endpoint.part("history", 50)).as("stamp.monitor.history-size").hasSize(3);
			assertThat((List<?>) endpoint.part("history", null)).hasSize(3);
			assertThat((List<?>) endpoint.part("alerts", 1)).singleElement()
				.isEqualTo(monitor.status().alerts().get(0));
			assertThat((List<?>) endpoint.part("alerts", null)).as("stamp.monitor.alert-history-size").hasSize(4);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.part("alerts", 0))
				.withMessageContaining("'limit' must be at least 1");
		});
	}

	@Test
	void diagnosisNamesThePropertyToChange() {
		this.runner
			.withPropertyValues("stamp.tcp.idle-timeout=0s", "stamp.tcp.host=0.0.0.0",
					"stamp.shutdown.grace-period=45s")
			.run((context) -> {
				List<String> findings = context.getBean(ConfigurationDiagnosis.class).findings();
				assertThat(findings).anySatisfy((finding) -> assertThat(finding).contains("stamp.tcp.idle-timeout"))
					.anySatisfy((finding) -> assertThat(finding).contains("stamp.tcp.ssl.bundle"))
					.anySatisfy((finding) -> assertThat(finding).contains("stamp.shutdown.grace-period (PT45S)"));
			});
	}

	@Test
	void monitorCanBeSwitchedOff() {
		this.runner.withPropertyValues("stamp.monitor.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StampMonitor.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute
		void echo(TcpConnection connection) {
			byte[] data = connection.read(64);
			while (data.length > 0) {
				connection.send(data);
				data = connection.read(64);
			}
		}

	}

}
