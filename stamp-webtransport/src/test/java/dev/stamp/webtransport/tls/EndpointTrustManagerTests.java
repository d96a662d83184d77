package dev.stamp.webtransport.tls;

import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class EndpointTrustManagerTests {

	@Test
	void dnsNamesMatchExactlyOrThroughOneWildcardLabel() {
		assertThat(EndpointTrustManager.dnsMatches("api.example.com", "api.example.com")).isTrue();
		assertThat(EndpointTrustManager.dnsMatches("API.Example.com", "api.example.COM")).isTrue();
		assertThat(EndpointTrustManager.dnsMatches("a.example.com", "*.example.com")).isTrue();
		assertThat(EndpointTrustManager.dnsMatches("example.com", "*.example.com")).isFalse();
		assertThat(EndpointTrustManager.dnsMatches("a.b.example.com", "*.example.com")).isFalse();
		assertThat(EndpointTrustManager.dnsMatches("evil.com", "example.com")).isFalse();
	}

	@Test
	void hostIsCheckedAgainstTheCertificatesSubjectAlternativeNames() {
		DevelopmentCertificate certificate = DevelopmentCertificate.generate(List.of("stamp.test"), Duration.ofDays(1));
		assertThatNoException()
			.isThrownBy(() -> EndpointTrustManager.verifyHost(certificate.certificate(), "stamp.test"));
		assertThatExceptionOfType(CertificateException.class)
			.isThrownBy(() -> EndpointTrustManager.verifyHost(certificate.certificate(), "other.test"))
			.withMessageContaining("not for other.test");
	}

}
