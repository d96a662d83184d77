package dev.stamp.boot.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the HTTP listener answers to OPTIONS and to methods a path is not routed for, as
 * {@code docs/http.md} describes it.
 */
class HttpOptionsTests {

	private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final ApplicationContextRunner runner = StampContextRunner.create().withUserConfiguration(Routes.class);

	@Test
	void optionsOnARoutedPathIs204WithAllowAndNothingElse() {
		this.runner.run((context) -> {
			HttpResponse<String> options = send(context, "OPTIONS", "/items");
			assertThat(options.statusCode()).isEqualTo(204);
			assertThat(options.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
			assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).as("no CORS answer").isEmpty();
			assertThat(options.body()).isEmpty();
		});
	}

	@Test
	void optionsOnAPathWithoutRouteIs404() throws Exception {
		this.runner.run((context) -> {
			assertThat(send(context, "OPTIONS", "/nowhere").statusCode()).isEqualTo(404);
			assertThat(raw(context, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
				.startsWith("HTTP/1.1 404");
		});
	}

	@Test
	void anOptionsRouteAnswersOptionsItself() {
		this.runner.run((context) -> {
			HttpResponse<String> options = send(context, "OPTIONS", "/custom");
			assertThat(options.statusCode()).isEqualTo(200);
			assertThat(options.body()).isEqualTo("custom options");
		});
	}

	@Test
	void aMethodNotRoutedHereIs405WithAllowWhetherKnownOrNot() throws Exception {
		this.runner.run((context) -> {
			HttpResponse<String> delete = send(context, "DELETE", "/items");
			assertThat(delete.statusCode()).isEqualTo(405);
			assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
			assertThat(delete.body()).isEqualTo("Method Not Allowed\n");
			assertThat(raw(context, "TRACE /items HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
				.startsWith("HTTP/1.1 405")
				.containsIgnoringCase("allow: GET, HEAD, POST, OPTIONS");
		});
	}

	private static HttpResponse<String> send(ApplicationContext context, String method, String path) throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.HTTP) + path);
		return client.send(java.net.http.HttpRequest.newBuilder(uri).method(method, BodyPublishers.noBody()).build(),
				BodyHandlers.ofString());
	}

	private static String raw(ApplicationContext context, String request) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", StampContextRunner.port(context, StampProtocol.HTTP))) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute(path = "/items", method = HttpMethod.GET)
		String list(HttpRequest request) {
			return "items";
		}

		@StampRoute(path = "/items", method = HttpMethod.POST)
		String add(HttpRequest request) {
			return "added";
		}

		@StampRoute(path = "/custom", method = HttpMethod.OPTIONS)
		String options(HttpRequest request) {
			return "custom options";
		}

	}

}
