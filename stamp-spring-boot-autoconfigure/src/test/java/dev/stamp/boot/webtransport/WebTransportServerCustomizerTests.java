package dev.stamp.boot.webtransport;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WebTransportServerCustomizer} beans change the engine's configuration after
 * Stamp's own settings, in order.
 */
class WebTransportServerCustomizerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Test
	void customizersRunInOrderAfterStampsSettingsAndReachTheRunningEngine() {
		StampContextRunner.create()
			.withUserConfiguration(WebTransportListenerTests.Routes.class, ConnectionLimits.class)
			.withPropertyValues("stamp.webtransport.max-connections=50")
			.run((context) -> {
				WebTransportListener listener = context.getBean(WebTransportListener.class);
				// The engine's own counters: the last customizer in @Order won over the
				// property and over the customizer before it.
				assertThat(listener.webTransportStats().connections().maxConnections()).isEqualTo(3);
				try (WebTransportClient client = WebTransportListenerTests.client(context)) {
					WebTransportSession session = client.connect(WebTransportListenerTests.url(context, "/echo"))
						.block(TIMEOUT);
					WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
					Mono<byte[]> echoed = WebTransportListenerTests.collect(stream.receive());
					stream.send(Flux.just(new byte[] { 1, 2, 3 })).block(TIMEOUT);
					assertThat(echoed.block(TIMEOUT)).containsExactly(1, 2, 3);
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionLimits {

		@Bean
		@Order(2)
		WebTransportServerCustomizer last() {
			return (config) -> config.maxConnections(3);
		}

		@Bean
		@Order(1)
		WebTransportServerCustomizer first() {
			return (config) -> config.maxConnections(7);
		}

	}

}
