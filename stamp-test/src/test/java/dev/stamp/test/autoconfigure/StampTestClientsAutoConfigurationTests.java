package dev.stamp.test.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.test.client.StampHttpTestClient;
import dev.stamp.test.client.StampListenerAddress;
import dev.stamp.test.client.StampTcpTestClient;
import dev.stamp.test.client.StampWebSocketTestClient;
import dev.stamp.test.client.StampWebTransportTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link StampTestClientsAutoConfiguration} without listeners: which beans it gives, that
 * a test's own bean wins, and what a client says when its listener is not running.
 */
class StampTestClientsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StampTestClientsAutoConfiguration.class));

	@Test
	void givesAClientPerProtocol() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(StampTcpTestClient.class)
			.hasSingleBean(StampWebSocketTestClient.class)
			.hasSingleBean(StampHttpTestClient.class)
			.hasSingleBean(StampWebTransportTestClient.class));
	}

	@Test
	void readsThePortWhenUsedNotWhenCreated() {
		this.runner.run((context) -> {
			StampHttpTestClient http = context.getBean(StampHttpTestClient.class);
			assertThatIllegalStateException().isThrownBy(http::baseUrl)
				.withMessageContaining("local.stamp.http.port is not set");
			context.getEnvironment().getSystemProperties().put("local.stamp.http.port", 8123);
			try {
				assertThat(http.baseUrl()).isEqualTo("http://127.0.0.1:8123");
			}
			finally {
				context.getEnvironment().getSystemProperties().remove("local.stamp.http.port");
			}
		});
	}

	@Test
	void connectsToTheConfiguredHostUnlessItIsAWildcard() {
		this.runner.withPropertyValues("stamp.tcp.host=0.0.0.0", "stamp.websocket.host=::1").run((context) -> {
			assertThat(context.getBean(StampTcpTestClient.class).address().host()).isEqualTo("127.0.0.1");
			assertThat(context.getBean(StampWebSocketTestClient.class).address().host()).isEqualTo("::1");
		});
	}

	@Test
	void webTransportClientNamesTheMissingCertificateHash() {
		this.runner.run((context) -> assertThatIllegalStateException()
			.isThrownBy(() -> context.getBean(StampWebTransportTestClient.class).client())
			.withMessageContaining("local.stamp.webtransport.certificate-hash"));
	}

	@Test
	void aClientOfTheTestsOwnWins() {
		this.runner.withUserConfiguration(OwnTcpClient.class)
			.run((context) -> assertThat(context.getBean(StampTcpTestClient.class).address().port()).isEqualTo(7071));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTcpClient {

		@Bean
		StampTcpTestClient ownTcpClient() {
			return new StampTcpTestClient(StampListenerAddress.of("127.0.0.1", 7071), Duration.ofSeconds(1));
		}

	}

}
