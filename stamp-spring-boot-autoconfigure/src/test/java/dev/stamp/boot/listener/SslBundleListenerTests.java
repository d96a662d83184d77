package dev.stamp.boot.listener;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.tcp.TcpConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS from a Spring Boot SSL bundle, for TCP and HTTP, with clients that trust only the
 * test certificate.
 */
public class SslBundleListenerTests {

	private final ApplicationContextRunner runner = StampContextRunner.create()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
		.withUserConfiguration(Routes.class)
		.withPropertyValues("spring.ssl.bundle.jks.server.keystore.location=classpath:test-server.p12",
				"spring.ssl.bundle.jks.server.keystore.password=changeit",
				"spring.ssl.bundle.jks.server.keystore.type=PKCS12", "stamp.tcp.ssl.bundle=server",
				"stamp.http.ssl.bundle=server");

	@Test
	void tcpListenerServesTlsFromTheBundle() {
		this.runner.run((context) -> {
			int port = StampContextRunner.port(context, StampProtocol.TCP);
			try (SSLSocket socket = (SSLSocket) clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
				socket.setSoTimeout(10_000);
				socket.getOutputStream().write("secret".getBytes(StandardCharsets.UTF_8));
				assertThat(new String(socket.getInputStream().readNBytes(6), StandardCharsets.UTF_8))
					.isEqualTo("secret");
				assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
			}
		});
	}

	@Test
	void httpListenerServesHttpsFromTheBundle() {
		this.runner.run((context) -> {
			int port = StampContextRunner.port(context, StampProtocol.HTTP);
			HttpClient client = HttpClient.newBuilder().sslContext(clientContext()).build();
			HttpResponse<String> response = client.send(
					HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.body()).isEqualTo("hello over TLS");
		});
	}

	@Test
	void unknownBundleFailsTheStartWithItsName() {
		StampContextRunner.create()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withUserConfiguration(Routes.class)
			.withPropertyValues("stamp.tcp.ssl.bundle=missing")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("missing");
			});
	}

	/**
	 * A client context that trusts the test certificate ({@code test-server.p12}) and
	 * nothing else.
	 */
	public static SSLContext clientContext() throws Exception {
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		try (InputStream in = SslBundleListenerTests.class.getResourceAsStream("/test-server.p12")) {
			trusted.load(in, "changeit".toCharArray());
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute
		void echo(TcpConnection connection) {
			byte[] data = connection.read(1024);
			while (data.length > 0) {
				connection.send(data);
				data = connection.read(1024);
			}
		}

		@StampRoute(path = "/hello", method = HttpMethod.GET)
		String hello(dev.stamp.boot.http.HttpRequest request) {
			return "hello over TLS";
		}

	}

}
