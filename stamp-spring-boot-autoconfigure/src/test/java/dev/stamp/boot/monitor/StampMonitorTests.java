package dev.stamp.boot.monitor;

import java.net.Socket;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.actuate.StampActuatorAutoConfiguration;
import dev.stamp.boot.actuate.StampEndpoint;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.tcp.TcpListener;
import dev.stamp.core.BlockingHandlerExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor and the diagnosis against a real TCP listener, sampled on demand.
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
			assertThat((List<?>) endpoint.part("history")).hasSize(1);
			assertThat((List<?>) endpoint.part("alerts")).isEmpty();
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
