package dev.stamp.test.autoconfigure;

import java.time.Duration;
import java.util.Base64;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.stamp.test.client.StampHttpTestClient;
import dev.stamp.test.client.StampListenerAddress;
import dev.stamp.test.client.StampTcpTestClient;
import dev.stamp.test.client.StampWebSocketTestClient;
import dev.stamp.test.client.StampWebTransportTestClient;

/**
 * Test clients for Stamp's listeners, imported by {@link AutoConfigureStampClients}. Each
 * is created with the context, before the listeners start, and reads its listener's
 * published port at every use; a bean of the same type declared by the test wins.
 */
@AutoConfiguration
public final class StampTestClientsAutoConfiguration {

	/** Where the WebTransport listener publishes its development certificate's hash. */
	static final String CERTIFICATE_HASH_PROPERTY = "local.stamp.webtransport.certificate-hash";

	private final Environment environment;

	StampTestClientsAutoConfiguration(Environment environment) {
		this.environment = environment;
	}

	@Bean
	@ConditionalOnMissingBean
	StampTcpTestClient stampTcpTestClient() {
		return new StampTcpTestClient(address("tcp"), timeout());
	}

	@Bean
	@ConditionalOnMissingBean
	StampWebSocketTestClient stampWebSocketTestClient() {
		return new StampWebSocketTestClient(address("websocket"), timeout());
	}

	@Bean
	@ConditionalOnMissingBean
	StampHttpTestClient stampHttpTestClient() {
		return new StampHttpTestClient(address("http"), timeout());
	}

	@Bean
	@ConditionalOnMissingBean
	StampWebTransportTestClient stampWebTransportTestClient() {
		return new StampWebTransportTestClient(address("webtransport"), this::developmentCertificateHash, timeout());
	}

	private StampListenerAddress address(String protocol) {
		return StampListenerAddress.fromEnvironment(this.environment, protocol);
	}

	private Duration timeout() {
		return Binder.get(this.environment)
			.bind("stamp.test.clients.timeout", Duration.class)
			.orElse(Duration.ofSeconds(10));
	}

	private byte[] developmentCertificateHash() {
		String hash = this.environment.getProperty(CERTIFICATE_HASH_PROPERTY);
		if (hash == null) {
			throw new IllegalStateException("No " + CERTIFICATE_HASH_PROPERTY + " published: the WebTransport listener "
					+ "is not running, or serves a certificate of its own (stamp.webtransport.ssl.bundle); declare a "
					+ "StampWebTransportTestClient bean that trusts it");
		}
		return Base64.getDecoder().decode(hash);
	}

}
