package dev.stamp.webtransport.engine;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.client.WebTransportClient;
import dev.stamp.webtransport.internal.EngineStats;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.server.WebTransportServer;
import dev.stamp.webtransport.server.WebTransportServerConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stalls in the middle of the TLS handshake is dropped after the handshake
 * timeout.
 */
class HandshakeTimeoutTests {

	@Test
	void stalledHandshakeIsDroppedAndCounted() throws Exception {
		WebTransportServer server = new WebTransportServer(
				WebTransportServerConfig.builder(SessionAcceptor.of((session) -> Mono.never()))
					.host("127.0.0.1")
					.port(0)
					.handshakeTimeout(Duration.ofMillis(300))
					.build())
			.start();
		CompletableFuture<Void> release = new CompletableFuture<>();
		try (WebTransportClient client = WebTransportClient.builder()
			.trustManagerFactory(new StallingTrustManagerFactory(release))
			.connectTimeout(Duration.ofSeconds(5))
			.build()) {
			CompletableFuture<Object> attempt = CompletableFuture.supplyAsync(() -> {
				try {
					return client.connect(URI.create("https://127.0.0.1:" + server.localAddress().getPort() + "/"))
						.block(Duration.ofSeconds(10));
				}
				catch (RuntimeException ex) {
					return ex;
				}
			});
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (server.peerErrors().count(EngineStats.HANDSHAKE_TIMEOUT) == 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(server.peerErrors().count(EngineStats.HANDSHAKE_TIMEOUT)).isEqualTo(1);
			// Counted when the timer fires; the connection leaves the registry once its
			// close completed.
			while (server.statistics().connections().activeConnections() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(server.statistics().connections().activeConnections()).isZero();
			release.complete(null);
			assertThat(attempt.get()).isInstanceOf(RuntimeException.class);
		}
		finally {
			release.complete(null);
			server.shutdownGracefully(Duration.ofMillis(100));
		}
	}

	/**
	 * Trust managers that block certificate checks (the client's handshake stalls) until
	 * released.
	 */
	private static final class StallingTrustManagerFactory extends TrustManagerFactory {

		StallingTrustManagerFactory(CompletableFuture<Void> release) {
			super(new Spi(release), null, "stalling");
		}

		private static final class Spi extends TrustManagerFactorySpi {

			private final CompletableFuture<Void> release;

			Spi(CompletableFuture<Void> release) {
				this.release = release;
			}

			@Override
			protected void engineInit(java.security.KeyStore keyStore) {
			}

			@Override
			protected void engineInit(ManagerFactoryParameters parameters) {
			}

			@Override
			protected TrustManager[] engineGetTrustManagers() {
				return new TrustManager[] { new X509TrustManager() {
					@Override
					public void checkServerTrusted(X509Certificate[] chain, String authType) {
						Spi.this.release.join();
					}

					@Override
					public void checkClientTrusted(X509Certificate[] chain, String authType) {
					}

					@Override
					public X509Certificate[] getAcceptedIssuers() {
						return new X509Certificate[0];
					}
				} };
			}

		}

	}

}
