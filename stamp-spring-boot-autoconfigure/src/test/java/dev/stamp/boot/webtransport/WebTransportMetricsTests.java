package dev.stamp.boot.webtransport;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.actuate.StampActuatorAutoConfiguration;
import dev.stamp.boot.actuate.StampEndpoint;
import dev.stamp.boot.actuate.StampListenerMetrics;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebTransport sessions, streams, datagrams and peer errors reach Micrometer and the
 * {@code stamp} endpoint.
 */
@ExtendWith(OutputCaptureExtension.class)
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
				try (WebTransportClient client = WebTransportListenerTests.client(context)) {
					WebTransportSession session = client.connect(WebTransportListenerTests.url(context, "/echo"))
						.block(TIMEOUT);
					session.datagrams()
						.next()
						.doOnSubscribe((s) -> session.sendDatagram(new byte[] { 1 }).subscribe())
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

	@Test
	void enginePeerErrorsShowInTheStampEndpointAndAsAMeter() {
		StampContextRunner.create()
			.withConfiguration(AutoConfigurations.of(StampActuatorAutoConfiguration.class))
			.withUserConfiguration(Registry.class)
			.withPropertyValues("stamp.webtransport.echo-path=/echo", "management.endpoints.web.exposure.include=stamp")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(StampListenerMetrics.class).bindTo(registry);
				int port = StampContextRunner.port(context, StampProtocol.WEBTRANSPORT);
				try (DatagramSocket socket = new DatagramSocket()) {
					// A short-header datagram too short for a connection id: garbage the
					// engine counts.
					byte[] garbage = { 0x40, 1, 2 };
					socket.send(new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(), port));
				}
				StampEndpoint endpoint = context.getBean(StampEndpoint.class);
				long deadline = System.nanoTime() + TIMEOUT.toNanos();
				while (peerErrors(endpoint).isEmpty() && System.nanoTime() < deadline) {
					Thread.sleep(10);
				}
				assertThat(peerErrors(endpoint)).containsEntry("quic-packet-malformed", 1L);
				assertThat(registry.get("stamp.peer.errors").tag("protocol", "webtransport").functionCounter().count())
					.isEqualTo(1);
			});
	}

	@Test
	void endpointShowsTlsAndTheRoutesAreLoggedAtStartUp(CapturedOutput output) {
		StampContextRunner.create()
			.withConfiguration(AutoConfigurations.of(StampActuatorAutoConfiguration.class))
			.withPropertyValues("stamp.webtransport.echo-path=/echo", "management.endpoints.web.exposure.include=stamp")
			.run((context) -> {
				StampEndpoint.ListenerDescriptor listener = (StampEndpoint.ListenerDescriptor) context
					.getBean(StampEndpoint.class)
					.part("webtransport", null);
				// QUIC is always TLS, also with the generated development certificate.
				assertThat(listener.tls()).isTrue();
				assertThat(listener.routes()).singleElement().asString().startsWith("/echo -> ");
			});
		assertThat(output.getAll())
			.containsPattern("Stamp webtransport route /echo -> \\S+#\\S+\\(WebTransportSession\\)");
	}

	private static Map<String, Long> peerErrors(StampEndpoint endpoint) {
		return ((StampEndpoint.ListenerDescriptor) endpoint.part("webtransport", null)).peerErrors();
	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
