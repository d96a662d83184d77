package dev.stamp.boot.middleware;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.websocket.WebSocketConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Middleware beans and the built-in rate limiter in front of real listeners.
 */
@ExtendWith(OutputCaptureExtension.class)
class MiddlewareIntegrationTests {

	private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final ApplicationContextRunner runner = StampContextRunner.create().withUserConfiguration(Routes.class);

	@Test
	void userMiddlewareRejectsHttpAndWebSocketAndPassesAttributesOn() {
		this.runner.withUserConfiguration(ApiKeyMiddleware.class).run((context) -> {
			assertThat(http(context, null).statusCode()).isEqualTo(401);
			HttpResponse<String> allowed = http(context, "secret");
			assertThat(allowed.statusCode()).isEqualTo(200);
			assertThat(allowed.body()).isEqualTo("user=alice");
			assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> webSocket(context, null))
				.havingCause()
				.isInstanceOfSatisfying(WebSocketHandshakeException.class,
						(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(401));
			assertThat(webSocket(context, "secret")).isNotNull();
		});
	}

	@Test
	void aRouteRunsOnTheConnectionsEventLoopAfterAMiddlewareThatFinishedElsewhere() {
		this.runner.withUserConfiguration(ElsewhereMiddleware.class).run((context) -> {
			HttpResponse<String> response = client.send(HttpRequest
				.newBuilder(URI
					.create("http://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.HTTP) + "/thread"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			// The middleware's decision came on Reactor's parallel scheduler; the
			// reactive route must still run where the connection's handlers do.
			assertThat(response.body()).doesNotStartWith("parallel").contains("stamp");
		});
	}

	@Test
	void rateLimitRefusesTheRequestAfterTheLimitPerProtocol() {
		this.runner
			.withPropertyValues("stamp.middleware.rate-limit.enabled=true",
					"stamp.middleware.rate-limit.max-requests=2", "stamp.middleware.rate-limit.window=1m")
			.run((context) -> {
				assertThat(context).hasSingleBean(RateLimitMiddleware.class);
				assertThat(http(context, null).statusCode()).isEqualTo(200);
				assertThat(http(context, null).statusCode()).isEqualTo(200);
				HttpResponse<String> limited = http(context, null);
				assertThat(limited.statusCode()).isEqualTo(429);
				assertThat(limited.body()).isEqualTo("Too Many Requests\n");
				assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).get()
					.as("seconds until the window frees a slot")
					.satisfies((seconds) -> assertThat(seconds).isBetween(1L, 60L));
				int tcpPort = StampContextRunner.port(context, StampProtocol.TCP);
				for (int i = 0; i < 2; i++) {
					// Both connections count: TCP is limited per connection.
					try (Socket socket = new Socket("127.0.0.1", tcpPort)) {
						socket.setSoTimeout(5_000);
						assertThat(socket.getInputStream().read()).isEqualTo('!');
					}
				}
				try (Socket socket = new Socket("127.0.0.1", tcpPort)) {
					socket.setSoTimeout(5_000);
					assertThat(socket.getInputStream().read()).as("third connection closed at once").isEqualTo(-1);
				}
			});
	}

	@Test
	void loggingMiddlewareLogsEachRequestWhenEnabled(CapturedOutput output) {
		this.runner.withPropertyValues("stamp.middleware.logging.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(LoggingMiddleware.class);
			assertThat(http(context, null).statusCode()).isEqualTo(200);
			assertThat(output.getAll()).containsPattern(
					"INFO .*LoggingMiddleware - http /me from /127\\.0\\.0\\.1:\\d+ agent=\"Java-http-client/");
		});
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(LoggingMiddleware.class);
			int before = output.getAll().length();
			assertThat(http(context, null).statusCode()).isEqualTo(200);
			assertThat(output.getAll().substring(before)).doesNotContain("LoggingMiddleware");
		});
	}

	private static HttpResponse<String> http(ApplicationContext context, String apiKey) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.HTTP) + "/me"));
		if (apiKey != null) {
			request.header("X-Api-Key", apiKey);
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static WebSocket webSocket(ApplicationContext context, String apiKey) {
		WebSocket.Builder builder = client.newWebSocketBuilder();
		if (apiKey != null) {
			builder.header("X-Api-Key", apiKey);
		}
		URI uri = URI.create("ws://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.WEBSOCKET) + "/ws");
		return builder.buildAsync(uri, new WebSocket.Listener() {
		}).join();
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute(path = "/me", method = HttpMethod.GET)
		String me(dev.stamp.boot.http.HttpRequest request) {
			return "user=" + request.attributes().getOrDefault("user", "anonymous");
		}

		@StampRoute(path = "/thread", method = HttpMethod.GET)
		Mono<String> thread(dev.stamp.boot.http.HttpRequest request) {
			return Mono.fromSupplier(() -> Thread.currentThread().getName());
		}

		@StampRoute("/ws")
		void ws(WebSocketConnection client, String message) {
		}

		@StampRoute
		void tcp(TcpConnection connection) {
			connection.send("!");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApiKeyMiddleware {

		@Bean
		StampMiddleware apiKey() {
			return (request) -> {
				if (request.protocol() == StampProtocol.TCP) {
					return Mono.just(MiddlewareDecision.proceed());
				}
				if (!"secret".equals(request.header("x-api-key"))) {
					return Mono.just(MiddlewareDecision.reject(401, "missing API key"));
				}
				request.attributes().put("user", "alice");
				return Mono.just(MiddlewareDecision.proceed());
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ElsewhereMiddleware {

		@Bean
		StampMiddleware elsewhere() {
			return (request) -> Mono.delay(Duration.ofMillis(5), Schedulers.parallel())
				.thenReturn(MiddlewareDecision.proceed());
		}

	}

}
