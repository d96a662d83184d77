package dev.stamp.boot.webtransport;

import java.io.InputStream;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebTransport with the certificate of a Spring Boot SSL bundle instead of the
 * development certificate, for ECDSA and RSA keys, with a client that trusts only that
 * certificate.
 */
class WebTransportSslBundleTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@ParameterizedTest
	@ValueSource(strings = { "test-server.p12", "test-server-rsa.p12" })
	void servesTheBundlesCertificateToAClientThatVerifiesChainAndName(String keystore) {
		StampContextRunner.create()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.jks.wt.keystore.location=classpath:" + keystore,
					"spring.ssl.bundle.jks.wt.keystore.password=changeit",
					"spring.ssl.bundle.jks.wt.keystore.type=PKCS12", "stamp.webtransport.ssl.bundle=wt",
					"stamp.webtransport.echo-path=/echo")
			.run((context) -> {
				WebTransportListener listener = context.getBean(WebTransportListener.class);
				assertThat(listener.certificateHash()).as("no development certificate with a bundle").isNull();
				assertThat(context.getEnvironment().getProperty(WebTransportListener.CERTIFICATE_HASH_PROPERTY))
					.isNull();
				try (WebTransportClient client = WebTransportClient.builder()
					.trustManagerFactory(trust(keystore))
					.build()) {
					WebTransportSession session = client.connect(WebTransportListenerTests.url(context, "/echo"))
						.block(TIMEOUT);
					WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
					Mono<byte[]> echoed = WebTransportListenerTests.collect(stream.receive());
					stream.send(Flux.just("over the bundle".getBytes())).block(TIMEOUT);
					assertThat(new String(echoed.block(TIMEOUT))).isEqualTo("over the bundle");
				}
			});
	}

	private static TrustManagerFactory trust(String keystore) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = WebTransportSslBundleTests.class.getResourceAsStream("/" + keystore)) {
			store.load(in, "changeit".toCharArray());
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		return trust;
	}

}
