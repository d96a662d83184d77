package dev.stamp.boot.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StampHttpServerCustomizer} beans run after Stamp's own settings and may override
 * them, seen by a client over a real socket.
 */
class StampHttpServerCustomizerTests {

	private static final String BIG_HEADERS = "GET /about HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(2048)
			+ "\r\nConnection: close\r\n\r\n";

	private final ApplicationContextRunner runner = StampContextRunner.create()
		.withUserConfiguration(About.class)
		.withPropertyValues("stamp.http.max-header-size=1KB");

	@Test
	void withoutCustomizerStampsHeaderLimitHolds() {
		this.runner.run((context) -> assertThat(statusLine(context, BIG_HEADERS)).startsWith("HTTP/1.1 431"));
	}

	@Test
	void customizerOverridesStampsHeaderLimit() {
		this.runner.withUserConfiguration(LargeHeaders.class)
			.run((context) -> assertThat(statusLine(context, BIG_HEADERS)).startsWith("HTTP/1.1 200"));
	}

	@Test
	void customizersRunInOrderAfterStampsSettings() {
		// Declared in the opposite order: only @Order makes the larger limit the last
		// word.
		this.runner.withUserConfiguration(OrderedLimits.class)
			.run((context) -> assertThat(statusLine(context, BIG_HEADERS)).startsWith("HTTP/1.1 200"));
	}

	private static String statusLine(ApplicationContext context, String request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", StampContextRunner.port(context, StampProtocol.HTTP)),
					5_000);
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			return response.lines().findFirst().orElse("");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class About {

		@StampRoute("/about")
		String about(HttpRequest request) {
			return "about";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedLimits {

		@Bean
		@Order(2)
		StampHttpServerCustomizer largeHeadersLast() {
			return (server) -> server.httpRequestDecoder((spec) -> spec.maxHeaderSize(16 * 1024));
		}

		@Bean
		@Order(1)
		StampHttpServerCustomizer smallHeadersFirst() {
			return (server) -> server.httpRequestDecoder((spec) -> spec.maxHeaderSize(512));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LargeHeaders {

		@Bean
		StampHttpServerCustomizer largeHeaders() {
			return (server) -> server.httpRequestDecoder((spec) -> spec.maxHeaderSize(16 * 1024));
		}

	}

}
