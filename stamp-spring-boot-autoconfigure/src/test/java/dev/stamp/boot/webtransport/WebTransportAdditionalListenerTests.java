package dev.stamp.boot.webtransport;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationContext;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An additional WebTransport listener serves the same routes on its own UDP port, with
 * its own development certificate published beside its port.
 */
class WebTransportAdditionalListenerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Test
	void additionalListenerServesTheRoutes() {
		StampContextRunner.create()
			.withUserConfiguration(WebTransportListenerTests.Routes.class)
			.withPropertyValues("stamp.webtransport.additional-listeners[0].host=127.0.0.1",
					"stamp.webtransport.additional-listeners[0].port=0")
			.run((context) -> {
				String prefix = "local.stamp.webtransport.additional-listeners[0].";
				int port = context.getEnvironment().getRequiredProperty(prefix + "port", Integer.class);
				try (WebTransportClient client = client(context, prefix + "certificate-hash")) {
					WebTransportSession session = client.connect(URI.create("https://127.0.0.1:" + port + "/echo"))
						.block(TIMEOUT);
					WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
					Mono<byte[]> echoed = WebTransportListenerTests.collect(stream.receive());
					stream.send(Flux.just(new byte[] { 7, 8, 9 })).block(TIMEOUT);
					assertThat(echoed.block(TIMEOUT)).containsExactly(7, 8, 9);
					session.close(0, "done").block(TIMEOUT);
				}
				assertThat(port).isNotEqualTo(
						context.getEnvironment().getRequiredProperty("local.stamp.webtransport.port", Integer.class));
			});
	}

	private static WebTransportClient client(ApplicationContext context, String hashProperty) {
		String hash = context.getEnvironment().getRequiredProperty(hashProperty);
		return WebTransportClient.builder().trustCertificateHash(Base64.getDecoder().decode(hash)).build();
	}

}
