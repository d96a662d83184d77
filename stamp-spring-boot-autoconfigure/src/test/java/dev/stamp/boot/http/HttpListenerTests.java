package dev.stamp.boot.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP listener over real sockets on 127.0.0.1, with the JDK's HTTP client and raw
 * sockets for what a well-behaved client never sends.
 */
class HttpListenerTests {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private static final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@Test
	void specRoutesAnswerWithTheirBodiesAndContentTypes() {
		runner().run((context) -> {
			java.net.http.HttpResponse<String> home = get(context, "/");
			assertThat(home.statusCode()).isEqualTo(200);
			assertThat(home.body()).isEqualTo("<h1>Hello, World!</h1>");
			assertThat(home.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
			assertThat(get(context, "/about").body()).isEqualTo("About Page");
			java.net.http.HttpResponse<String> data = get(context, "/api/data");
			assertThat(data.body()).isEqualTo("{\"data\":[1,2,3]}");
			assertThat(data.headers().firstValue("Content-Type")).hasValue("application/json");
			java.net.http.HttpResponse<String> posted = send(context, "POST", "/api/data", "hello body");
			assertThat(posted.body()).isEqualTo("{\"received\":\"hello body\"}");
		});
	}

	@Test
	void handlerSeesMethodPathQueryHeadersAndBody() {
		runner().run((context) -> {
			java.net.http.HttpResponse<String> response = client
				.send(java.net.http.HttpRequest.newBuilder(uri(context, "/inspect?name=stamp&tag=a&tag=b"))
					.header("X-Trace", "t-1")
					.PUT(BodyPublishers.ofString("payload"))
					.build(), BodyHandlers.ofString());
			assertThat(response.body()).isEqualTo("PUT /inspect name=stamp&tag=a&tag=b stamp [a, b] t-1 payload");
		});
	}

	@Test
	void responsesWithStatusHeadersAndReactiveResults() {
		runner().run((context) -> {
			java.net.http.HttpResponse<String> created = send(context, "POST", "/items", "{}");
			assertThat(created.statusCode()).isEqualTo(201);
			assertThat(created.headers().firstValue("Location")).hasValue("/items/7");
			assertThat(created.body()).isEqualTo("{\"id\":7}");
			assertThat(get(context, "/reactive").body()).isEqualTo("from a Mono");
			java.net.http.HttpResponse<String> empty = send(context, "DELETE", "/items", "");
			assertThat(empty.statusCode()).isEqualTo(200);
			assertThat(empty.body()).isEmpty();
			java.net.http.HttpResponse<byte[]> bytes = client
				.send(java.net.http.HttpRequest.newBuilder(uri(context, "/bytes")).build(), BodyHandlers.ofByteArray());
			assertThat(bytes.body()).containsExactly(0, 1, 2);
			assertThat(bytes.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
		});
	}

	@Test
	void keepAliveConnectionAlternatingBlockingAndReactiveRoutesAnswersEveryRequest() {
		// Regression: a blocking handler's response written from its own thread raced
		// with Reactor Netty finishing the previous exchange, and within a few rounds one
		// answer was lost.
		runner().run((context) -> {
			try (Socket socket = open(context)) {
				for (int round = 0; round < 500; round++) {
					assertThat(exchange(socket, "POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"))
						.as("round %d", round)
						.startsWith("HTTP/1.1 201");
					assertThat(exchange(socket, "GET /reactive HTTP/1.1\r\nHost: x\r\n\r\n")).as("round %d", round)
						.endsWith("from a Mono");
					assertThat(exchange(socket, "DELETE /items HTTP/1.1\r\nHost: x\r\n\r\n")).as("round %d", round)
						.startsWith("HTTP/1.1 200");
				}
			}
		});
	}

	@Test
	void unknownPathIs404AndWrongMethodIs405WithAllow() {
		runner().run((context) -> {
			assertThat(get(context, "/missing").statusCode()).isEqualTo(404);
			java.net.http.HttpResponse<String> wrong = send(context, "POST", "/about", "x");
			assertThat(wrong.statusCode()).isEqualTo(405);
			assertThat(wrong.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
			assertThat(send(context, "TRACE", "/about", "").statusCode()).isEqualTo(405);
		});
	}

	@Test
	void headAndOptionsAreAnsweredForEveryRoute() {
		runner().run((context) -> {
			java.net.http.HttpResponse<String> head = client
				.send(java.net.http.HttpRequest.newBuilder(uri(context, "/about"))
					.method("HEAD", BodyPublishers.noBody())
					.build(), BodyHandlers.ofString());
			assertThat(head.statusCode()).isEqualTo(200);
			assertThat(head.headers().firstValue("Content-Length")).hasValue("10");
			assertThat(head.body()).isEmpty();
			java.net.http.HttpResponse<String> options = send(context, "OPTIONS", "/api/data", "");
			assertThat(options.statusCode()).isEqualTo(204);
			assertThat(options.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
		});
	}

	@Test
	void bodyOverTheLimitIs413WhetherDeclaredOrChunked() {
		runner().withPropertyValues("stamp.http.max-request-size=1KB").run((context) -> {
			assertThat(send(context, "POST", "/api/data", "x".repeat(1024)).statusCode()).isEqualTo(200);
			assertThat(send(context, "POST", "/api/data", "x".repeat(1025)).statusCode()).isEqualTo(413);
			String chunked = rawExchange(context,
					"POST /api/data HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "400\r\n"
							+ "y".repeat(1024) + "\r\n" + "1\r\nz\r\n0\r\n\r\n");
			assertThat(chunked).startsWith("HTTP/1.1 413");
		});
	}

	@Test
	void malformedRequestIs400AndDoesNotDisturbOtherClients() {
		runner().run((context) -> {
			assertThat(rawExchange(context, "THIS IS NOT HTTP\r\n\r\n")).startsWith("HTTP/1.1 400");
			assertThat(rawExchange(context, "GET /about HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n"))
				.startsWith("HTTP/1.1 400");
			assertThat(get(context, "/about").body()).isEqualTo("About Page");
		});
	}

	@Test
	void requestLineOrHeadersOverTheLimitAreRefused() {
		runner().withPropertyValues("stamp.http.max-header-size=1KB").run((context) -> {
			assertThat(rawExchange(context, "GET /about?" + "q".repeat(2048) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
				.startsWith("HTTP/1.1 414");
			assertThat(
					rawExchange(context, "GET /about HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(2048) + "\r\n\r\n"))
				.startsWith("HTTP/1.1 431");
			assertThat(get(context, "/about").body()).isEqualTo("About Page");
		});
	}

	@Test
	void pathVariablesArriveFromTemplatesNamedGroupsAndTheRestOfThePath() {
		runner().run((context) -> {
			assertThat(get(context, "/users/42/orders/7").body()).isEqualTo("{userId=42, orderId=7}");
			assertThat(get(context, "/users/42/orders/").statusCode()).isEqualTo(404);
			assertThat(get(context, "/invoices/2026-12").body()).isEqualTo("invoice 12 of 2026");
			assertThat(get(context, "/invoices/26-12").statusCode()).isEqualTo(404);
			assertThat(get(context, "/docs/guide/intro.md").body()).isEqualTo("doc /guide/intro.md");
			assertThat(get(context, "/docs").body()).isEqualTo("doc ");
			assertThat(get(context, "/users/42/unknown-variable").statusCode())
				.as("asking for a variable the route does not have is a handler bug")
				.isEqualTo(500);
		});
	}

	@Test
	void requestOfferingAnHttp2UpgradeIsServedAsHttp11() {
		runner().run((context) -> {
			String response = rawExchange(context, "POST /api/data HTTP/1.1\r\nHost: x\r\n"
					+ "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
					+ "Content-Length: 2\r\nContent-Type: text/plain\r\n\r\nhi");
			assertThat(response).startsWith("HTTP/1.1 200").endsWith("{\"received\":\"hi\"}");
		});
	}

	@Test
	void handlerExceptionIs500WithoutStackTrace() {
		runner().run((context) -> {
			java.net.http.HttpResponse<String> failed = get(context, "/fails");
			assertThat(failed.statusCode()).isEqualTo(500);
			assertThat(failed.body()).isEqualTo("Internal Server Error\n");
			assertThat(get(context, "/about").statusCode()).isEqualTo(200);
		});
	}

	@Test
	void connectionOverMaxConnectionsIsAnswered503ThenClosed() {
		runner().withPropertyValues("stamp.http.max-connections=2").run((context) -> {
			try (Socket first = open(context); Socket second = open(context)) {
				assertThat(exchange(first, "GET /about HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
				assertThat(exchange(second, "GET /about HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
				try (Socket third = open(context)) {
					third.getOutputStream()
						.write("GET /about HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
					String refused = new String(third.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
					assertThat(refused).startsWith("HTTP/1.1 503").contains("retry-after: 1");
				}
				assertThat(context.getBean(HttpListener.class).stats().refusedConnections()).isEqualTo(1);
				assertThat(exchange(first, "GET /about HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
			}
		});
	}

	@Test
	void stopLetsAnInFlightRequestFinish() throws Exception {
		CompletableFuture<java.net.http.HttpResponse<String>> slow = new CompletableFuture<>();
		runner().withPropertyValues("stamp.shutdown.grace-period=5s").run((context) -> {
			client
				.sendAsync(java.net.http.HttpRequest.newBuilder(uri(context, "/slow")).build(), BodyHandlers.ofString())
				.whenComplete((response, error) -> {
					if (error != null) {
						slow.completeExceptionally(error);
					}
					else {
						slow.complete(response);
					}
				});
			// Close the context only once the handler is busy with the request.
			assertThat(context.getBean(Routes.class).slowBusy.await(10, TimeUnit.SECONDS)).isTrue();
		});
		assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("finally");
	}

	private static org.springframework.boot.test.context.runner.ApplicationContextRunner runner() {
		return StampContextRunner.create()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
			.withUserConfiguration(Routes.class);
	}

	static URI uri(ApplicationContext context, String path) {
		return URI.create("http://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.HTTP) + path);
	}

	static java.net.http.HttpResponse<String> get(ApplicationContext context, String path) throws Exception {
		return client.send(java.net.http.HttpRequest.newBuilder(uri(context, path)).timeout(REQUEST_TIMEOUT).build(),
				BodyHandlers.ofString());
	}

	static java.net.http.HttpResponse<String> send(ApplicationContext context, String method, String path, String body)
			throws Exception {
		return client.send(java.net.http.HttpRequest.newBuilder(uri(context, path))
			.timeout(REQUEST_TIMEOUT)
			.method(method, body.isEmpty() ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
			.build(), BodyHandlers.ofString());
	}

	private static Socket open(ApplicationContext context) throws IOException {
		Socket socket = new Socket("127.0.0.1", StampContextRunner.port(context, StampProtocol.HTTP));
		socket.setSoTimeout(10_000);
		return socket;
	}

	private static String rawExchange(ApplicationContext context, String request) throws IOException {
		try (Socket socket = open(context)) {
			return exchange(socket, request);
		}
	}

	/** Writes a request and reads one response's head and body (by Content-Length). */
	private static String exchange(Socket socket, String request) throws IOException {
		socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
		return readResponse(socket.getInputStream());
	}

	/**
	 * Reads one response's head and body (by Content-Length); what arrived if the
	 * connection closes first.
	 */
	static String readResponse(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				return head.toString();
			}
			head.append((char) next);
		}
		int length = 0;
		for (String line : head.toString().split("\r\n")) {
			if (line.toLowerCase().startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(15).trim());
			}
		}
		return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		final CountDownLatch slowBusy = new CountDownLatch(1);

		@StampRoute(path = "/", method = HttpMethod.GET, produces = "text/html")
		String home(HttpRequest request) {
			return "<h1>Hello, World!</h1>";
		}

		@StampRoute(path = "/about", method = HttpMethod.GET)
		String about(HttpRequest request) {
			return "About Page";
		}

		@StampRoute(path = "/api/data", method = HttpMethod.GET)
		Map<String, Object> data(HttpRequest request) {
			return Map.of("data", List.of(1, 2, 3));
		}

		@StampRoute(path = "/api/data", method = HttpMethod.POST)
		Map<String, Object> received(HttpRequest request) {
			return Map.of("received", request.bodyAsString());
		}

		@StampRoute("/inspect")
		String inspect(HttpRequest request) {
			return request.method() + " " + request.path() + " " + request.query() + " "
					+ request.queryParameter("name") + " " + request.queryParameters().get("tag") + " "
					+ request.header("x-trace") + " " + request.bodyAsString();
		}

		@StampRoute(path = "/items", method = HttpMethod.POST)
		HttpResponse create(HttpRequest request) {
			return HttpResponse.status(201).header("Location", "/items/7").body(Map.of("id", 7));
		}

		@StampRoute(path = "/items", method = HttpMethod.DELETE)
		void delete(HttpRequest request) {
		}

		@StampRoute(path = "/reactive", method = HttpMethod.GET)
		Mono<String> reactive(HttpRequest request) {
			return Mono.just("from a Mono");
		}

		@StampRoute(path = "/bytes", protocol = StampProtocol.HTTP)
		byte[] bytes() {
			return new byte[] { 0, 1, 2 };
		}

		@StampRoute(path = "/users/{userId}/orders/{orderId}", method = HttpMethod.GET)
		String order(HttpRequest request) {
			return request.pathVariables().toString();
		}

		@StampRoute(path = "~/invoices/(?<year>\\d{4})-(?<month>\\d{2})", method = HttpMethod.GET)
		String invoice(HttpRequest request) {
			return "invoice " + request.pathVariable("month") + " of " + request.pathVariable("year");
		}

		@StampRoute(path = "/docs/{*page}", method = HttpMethod.GET)
		String doc(HttpRequest request) {
			return "doc " + request.pathVariable("page");
		}

		@StampRoute(path = "/users/{userId}/unknown-variable", method = HttpMethod.GET)
		String unknownVariable(HttpRequest request) {
			return request.pathVariable("id");
		}

		@StampRoute("/fails")
		String fails(HttpRequest request) {
			throw new IllegalStateException("secret internal detail");
		}

		@StampRoute("/slow")
		String slow(HttpRequest request) throws InterruptedException {
			this.slowBusy.countDown();
			Thread.sleep(1_000);
			return "finally";
		}

	}

}
