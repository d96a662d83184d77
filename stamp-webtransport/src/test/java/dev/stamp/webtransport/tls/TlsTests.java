package dev.stamp.webtransport.tls;

import java.net.URI;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.client.WebTransportClient;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.server.WebTransportServer;
import dev.stamp.webtransport.server.WebTransportServerConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The development certificate, configured key material (ECDSA and RSA), and both ways a
 * client can trust.
 */
class TlsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void developmentCertificateIsWhatBrowsersAcceptThroughCertificateHashes() throws Exception {
		DevelopmentCertificate generated = DevelopmentCertificate.generate();
		X509Certificate certificate = generated.certificate();
		assertThat(certificate.getVersion()).isEqualTo(3);
		assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
		assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
			.isEqualTo(256);
		Duration validity = Duration.between(certificate.getNotBefore().toInstant(),
				certificate.getNotAfter().toInstant());
		assertThat(validity).isLessThan(Duration.ofDays(14));
		certificate.checkValidity();
		assertThat(certificate.getNotBefore().toInstant()).isBefore(Instant.now());
		assertThat(certificate.getSubjectAlternativeNames()).extracting((name) -> name.get(1).toString())
			.contains("localhost", "127.0.0.1");
		byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
		assertThat(generated.sha256()).isEqualTo(sha256);
		assertThat(generated.sha256Base64()).isEqualTo(Base64.getEncoder().encodeToString(sha256));
		assertThat(generated.sha256Hex()).isEqualTo(HexFormat.of().formatHex(sha256));
	}

	@Test
	void configuredEcdsaKeyMaterialWithPasswordAndHashTrust() {
		DevelopmentCertificate ecdsa = DevelopmentCertificate.generate(List.of("localhost"), Duration.ofDays(3));
		assertSessionWorks(ecdsa.keyManagerFactory("secret"), "secret",
				WebTransportClient.builder().trustCertificateHash(ecdsa.sha256()));
	}

	@Test
	void configuredRsaKeyMaterialWithTrustManagerFactory() throws Exception {
		DevelopmentCertificate rsa = DevelopmentCertificate.generateRsa(List.of("localhost"), Duration.ofDays(30));
		assertThat(rsa.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		trusted.load(null, null);
		trusted.setCertificateEntry("server", rsa.certificate());
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		assertSessionWorks(rsa.keyManagerFactory(""), "", WebTransportClient.builder().trustManagerFactory(trust));
	}

	@Test
	void clientRefusesAServerWhoseCertificateHashDoesNotMatch() {
		WebTransportServer server = new WebTransportServer(
				WebTransportServerConfig.builder(SessionAcceptor.of((session) -> Mono.never()))
					.host("127.0.0.1")
					.port(0)
					.build())
			.start();
		byte[] wrong = server.developmentCertificate().sha256();
		wrong[0] ^= 1;
		try (WebTransportClient client = WebTransportClient.builder()
			.trustCertificateHash(wrong)
			.connectTimeout(Duration.ofSeconds(5))
			.build()) {
			assertThatExceptionOfType(WebTransportSessionException.class).isThrownBy(
					() -> client.connect(URI.create("https://127.0.0.1:" + server.localAddress().getPort() + "/"))
						.block(TIMEOUT));
		}
		finally {
			server.shutdownGracefully(Duration.ofMillis(100));
		}
	}

	private static void assertSessionWorks(javax.net.ssl.KeyManagerFactory keys, String password,
			WebTransportClient.Builder clientBuilder) {
		WebTransportServer server = new WebTransportServer(
				WebTransportServerConfig.builder(SessionAcceptor.of((session) -> session.close(9, "tls ok")))
					.host("127.0.0.1")
					.port(0)
					.keyManagerFactory(keys, password)
					.build())
			.start();
		assertThat(server.developmentCertificate()).isNull();
		try (WebTransportClient client = clientBuilder.build()) {
			WebTransportSession session = client
				.connect(URI.create("https://localhost:" + server.localAddress().getPort() + "/tls"))
				.block(TIMEOUT);
			assertThat(session.awaitClose(TIMEOUT).reason()).isEqualTo("tls ok");
		}
		finally {
			server.shutdownGracefully(Duration.ofMillis(100));
		}
	}

}
