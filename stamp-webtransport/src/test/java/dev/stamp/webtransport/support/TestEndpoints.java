package dev.stamp.webtransport.support;

import java.net.URI;
import java.util.function.Consumer;

import dev.stamp.webtransport.client.WebTransportClient;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.server.WebTransportServer;
import dev.stamp.webtransport.server.WebTransportServerConfig;

/**
 * A server on 127.0.0.1 with a free port and a client that trusts its development
 * certificate.
 */
public final class TestEndpoints implements AutoCloseable {

	public final WebTransportServer server;

	public final WebTransportClient client;

	private TestEndpoints(WebTransportServer server, WebTransportClient client) {
		this.server = server;
		this.client = client;
	}

	public static TestEndpoints start(SessionAcceptor acceptor) {
		return start(acceptor, (builder) -> {
		});
	}

	public static TestEndpoints start(SessionAcceptor acceptor, Consumer<WebTransportServerConfig.Builder> customizer) {
		WebTransportServerConfig.Builder builder = WebTransportServerConfig.builder(acceptor).host("127.0.0.1").port(0);
		customizer.accept(builder);
		WebTransportServer server = new WebTransportServer(builder.build()).start();
		WebTransportClient client = WebTransportClient.builder()
			.trustCertificateHash(server.developmentCertificate().sha256())
			.build();
		return new TestEndpoints(server, client);
	}

	public URI url(String path) {
		return URI.create("https://127.0.0.1:" + this.server.localAddress().getPort() + path);
	}

	@Override
	public void close() {
		this.client.close();
		this.server.shutdownGracefully(java.time.Duration.ofMillis(200));
	}

}
