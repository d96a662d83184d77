package dev.stamp.boot.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Request smuggling and malformed HTTP/1.1 against a real listener over raw sockets (RFC
 * 9112, RFC 9110): every hostile request gets one short answer and a closed connection,
 * nothing sent after it is processed, and the listener keeps serving well-behaved
 * clients.
 */
class HttpHardeningTests {

	/**
	 * Appended to hostile requests: if a route ever sees it, the request before it was
	 * framed two ways.
	 */
	private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

	private final ApplicationContextRunner runner = StampContextRunner.create()
		.withUserConfiguration(Routes.class)
		.withPropertyValues("stamp.http.max-header-size=1KB");

	static Stream<Arguments> hostileRequests() {
		return Stream.of(
				// RFC 9112 6.1: Content-Length with Transfer-Encoding is smuggling;
				// reject.
				refused("CL+TE", "content-length-with-transfer-encoding",
						"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
								+ "0\r\n\r\n" + SMUGGLED),
				refused("TE+CL", "content-length-with-transfer-encoding",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
								+ "0\r\n\r\n" + SMUGGLED),
				// RFC 9112 6.3: a final coding other than chunked leaves the length
				// unknown.
				refused("TE xchunked", "bad-transfer-encoding",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n" + SMUGGLED),
				refused("TE chunked, gzip", "bad-transfer-encoding",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"
								+ SMUGGLED),
				refused("TE gzip, chunked (unsupported coding)", "bad-transfer-encoding",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"
								+ SMUGGLED),
				refused("TE identity", "bad-transfer-encoding",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n" + SMUGGLED),
				refused("TE gzip", "bad-transfer-encoding",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" + SMUGGLED),
				refused("TE chunked twice (RFC 9112 6.1)", "bad-transfer-encoding",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
								+ "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
				refused("TE folded over two lines (obs-fold, RFC 9112 5.2)", "bad-transfer-encoding",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: x\r\n chunked\r\n\r\n0\r\n\r\n"
								+ SMUGGLED),
				refused("TE in HTTP/1.0 (RFC 9112 6.1)", "bad-transfer-encoding",
						"POST /echo HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
				// RFC 9110 8.6 / RFC 9112 6.3: one valid length or 400.
				refused("CL twice, equal", "bad-content-length",
						"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"
								+ SMUGGLED),
				refused("CL twice, different", "bad-content-length",
						"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 0\r\n\r\nhello"
								+ SMUGGLED),
				refused("CL list", "bad-content-length",
						"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 5\r\n\r\nhello" + SMUGGLED),
				refused("CL not a number", "bad-content-length",
						"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: five\r\n\r\nhello" + SMUGGLED),
				refused("CL negative", "bad-content-length",
						"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nhello" + SMUGGLED),
				refused("CL with sign", "bad-content-length",
						"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello" + SMUGGLED),
				refused("CL overflowing a long", "bad-content-length",
						"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\nhello"
								+ SMUGGLED),
				// RFC 9112 7.1: chunk-size = 1*HEXDIG, then CRLF after the data.
				refused("chunk size not hex", "bad-chunk",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n"
								+ "\r\n" + SMUGGLED),
				refused("chunk size overflowing", "bad-chunk",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
								+ "fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
				refused("chunk data without CRLF", "bad-chunk",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n"
								+ SMUGGLED),
				refused("chunk extension with bare LF", "bad-chunk",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext\nhello\r\n0\r\n"
								+ "\r\n" + SMUGGLED),
				// RFC 9110 5.5 / 5.1: no control bytes in field names or values.
				refused("NUL in value", "malformed-request",
						"GET /about HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\n\r\n" + SMUGGLED),
				refused("control byte in value", "malformed-request",
						"GET /about HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n" + SMUGGLED),
				refused("NUL in name", "malformed-request",
						"GET /about HTTP/1.1\r\nHost: x\r\nX-B\0ad: a\r\n\r\n" + SMUGGLED),
				refused("control byte in name", "malformed-request",
						"GET /about HTTP/1.1\r\nHost: x\r\nX-B\u0001ad: a\r\n\r\n" + SMUGGLED),
				// RFC 9112 5.1: whitespace between name and colon MUST be rejected with
				// 400.
				refused("space before colon", "malformed-request",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
				// RFC 9112 2.2: a server may accept bare LF; Stamp (Netty's strict line
				// parsing) does not.
				refused("bare LF line endings", "bad-line-ending", "GET /about HTTP/1.1\nHost: x\n\n" + SMUGGLED),
				// RFC 9112 2.2: a bare CR MUST be rejected or replaced; it is rejected.
				refused("bare CR in a header", "malformed-request",
						"GET /about HTTP/1.1\r\nHost: x\rX-Other: y\r\n\r\n" + SMUGGLED),
				// RFC 9112 3.2: HTTP/1.1 needs exactly one Host.
				refused("missing Host", "missing-host", "GET /about HTTP/1.1\r\n\r\n" + SMUGGLED),
				refused("two Hosts", "bad-host", "GET /about HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n" + SMUGGLED),
				refused("absolute-form with a different Host", "bad-host",
						"GET http://a.example/about HTTP/1.1\r\nHost: b.example\r\n\r\n" + SMUGGLED),
				// RFC 9112 3.2: origin-form, absolute-form or "*" (found by fuzzing:
				// Netty passes NUL bytes on).
				refused("NUL bytes in the request target", "bad-request-target",
						"GET \0\0ttp://x/about HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED),
				refused("request target that is not a path", "bad-request-target",
						"GET about HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED),
				refused("not HTTP at all", "malformed-request", "THIS IS NOT HTTP\r\n\r\n" + SMUGGLED),
				// max-header-size (1 KB here).
				answered("overlong request line", "414", "request-line-too-long",
						"GET /about?" + "q".repeat(2048) + " HTTP/1.1\r\nHost: x\r\n\r\n" + SMUGGLED),
				answered("overlong headers", "431", "headers-too-large",
						"GET /about HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(2048) + "\r\n\r\n" + SMUGGLED));
	}

	private static Arguments refused(String name, String kind, String request) {
		return answered(name, "400", kind, request);
	}

	private static Arguments answered(String name, String status, String kind, String request) {
		return Arguments.of(name, status, kind, request);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileRequests")
	void hostileRequestIsAnsweredOnceThenClosedAndNothingAfterItRuns(String name, String status, String kind,
			String request) {
		this.runner.run((context) -> {
			Routes routes = context.getBean(Routes.class);
			try (Socket socket = open(context)) {
				write(socket, request);
				String answer = readUntilClosed(socket);
				assertThat(answer).as(name).startsWith("HTTP/1.1 " + status);
				assertThat(answer).as("exactly one answer").containsOnlyOnce("HTTP/1.1 ");
				assertThat(answer.toLowerCase()).contains("connection: close").contains("content-type: text/plain");
			}
			assertThat(routes.smuggled).as("requests behind the hostile one").hasValue(0);
			assertThat(routes.echoed).as("handlers run for the hostile request").hasValue(0);
			assertThat(context.getBean(HttpListener.class).peerErrors().counts()).containsExactly(entry(kind, 1L));
			assertWellBehavedClientIsServed(context);
		});
	}

	@Test
	void leniencyOfNettysDecoderThatFramesRequestsOneWayOnly() {
		this.runner.run((context) -> {
			// RFC 9112 7.1.1: unknown chunk extensions are ignored. Netty also ignores
			// anything after a chunk size and whitespace, which RFC 9112 does not allow;
			// the size itself is read the same way either way.
			for (String sizeLine : List.of("5;name=value", "5;junk", "5 junk")) {
				try (Socket socket = open(context)) {
					write(socket, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + sizeLine
							+ "\r\nhello\r\n0\r\n\r\n");
					assertThat(HttpListenerTests.readResponse(socket.getInputStream())).as(sizeLine)
						.startsWith("HTTP/1.1 200")
						.endsWith("echo hello");
				}
			}
			// RFC 9112 5.2: obs-fold is either rejected or replaced by a space; Netty
			// replaces it.
			try (Socket socket = open(context)) {
				write(socket, "GET /query HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n");
				assertThat(HttpListenerTests.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
			}
		});
	}

	@Test
	void tolerableSpellingsOfChunkedAreAccepted() {
		// RFC 9112 7: coding names are case-insensitive; RFC 9110 5.5: whitespace around
		// a value is not part of it.
		this.runner.run((context) -> {
			for (String encoding : List.of("Chunked", " chunked", "chunked ", "CHUNKED")) {
				try (Socket socket = open(context)) {
					write(socket, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:" + encoding + "\r\n\r\n"
							+ "5\r\nhello\r\n0\r\n\r\n");
					assertThat(HttpListenerTests.readResponse(socket.getInputStream())).as(encoding)
						.startsWith("HTTP/1.1 200")
						.endsWith("echo hello");
				}
			}
			assertThat(context.getBean(HttpListener.class).peerErrors().total()).isZero();
		});
	}

	@Test
	void absoluteFormTargetIsRoutedByItsPathAndQuery() {
		// RFC 9112 3.2.2: a server MUST accept the absolute form; the target's authority
		// wins over Host.
		this.runner.run((context) -> {
			try (Socket socket = open(context)) {
				write(socket, "GET http://api.example:8000/query?name=stamp&x=1 HTTP/1.1\r\n"
						+ "Host: api.example:8000\r\n\r\n");
				assertThat(HttpListenerTests.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200")
					.endsWith("/query name=stamp&x=1");
				write(socket, "GET HTTP://api.example/about HTTP/1.1\r\nHost: api.example\r\n\r\n");
				assertThat(HttpListenerTests.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200")
					.endsWith("About Page");
			}
		});
	}

	@Test
	void pipelinedRequestsAreAllAnsweredInOrderAndABadOneEndsTheConnectionAfterThem() {
		this.runner.run((context) -> {
			Routes routes = context.getBean(Routes.class);
			try (Socket socket = open(context)) {
				write(socket, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
						+ "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
						+ "GET /about HTTP/1.1\r\nHost: x\r\n\r\n"
						+ "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n");
				InputStream in = socket.getInputStream();
				assertThat(HttpListenerTests.readResponse(in)).startsWith("HTTP/1.1 200").endsWith("slow");
				assertThat(HttpListenerTests.readResponse(in)).startsWith("HTTP/1.1 200").endsWith("echo one");
				assertThat(HttpListenerTests.readResponse(in)).startsWith("HTTP/1.1 200").endsWith("About Page");
				assertThat(HttpListenerTests.readResponse(in)).startsWith("HTTP/1.1 200").endsWith("echo two");
				// A slow handler still owes its answer when the bad request arrives: the
				// 400 waits for it.
				write(socket, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
						+ "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n" + SMUGGLED);
				assertThat(HttpListenerTests.readResponse(in)).startsWith("HTTP/1.1 200").endsWith("slow");
				assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 400").containsOnlyOnce("HTTP/1.1 ");
			}
			assertThat(routes.smuggled).hasValue(0);
		});
	}

	@Test
	void malformedChunkAfterAHandlerStartedReadingNeverReachesTheHandler() {
		this.runner.withUserConfiguration(BodyProgress.class).run((context) -> {
			Routes routes = context.getBean(Routes.class);
			try (Socket socket = open(context)) {
				write(socket, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
				// The head went to the route, which now reads the body: the first chunk
				// has passed the pipeline before the malformed one is sent.
				assertThat(context.getBean(BodyProgress.class).firstChunk.await(10, TimeUnit.SECONDS)).isTrue();
				write(socket, "zz\r\n\r\n" + SMUGGLED);
				String answer = readUntilClosed(socket);
				assertThat(answer).startsWith("HTTP/1.1 400").containsOnlyOnce("HTTP/1.1 ");
			}
			assertThat(routes.echoed).hasValue(0);
			assertThat(routes.smuggled).hasValue(0);
			assertThat(context.getBean(HttpListener.class).peerErrors().count("bad-chunk")).isEqualTo(1);
			assertWellBehavedClientIsServed(context);
		});
	}

	@Test
	void oversizedBodySentInFullStillGetsItsAnswer() {
		// The 413 goes out before the body is read; closing with the body unread would
		// reset the connection and destroy the answer before the client reads it.
		this.runner.withPropertyValues("stamp.http.max-request-size=1KB").run((context) -> {
			for (int attempt = 0; attempt < 5; attempt++) {
				try (Socket socket = open(context)) {
					byte[] body = new byte[256 * 1024];
					Thread sender = new Thread(() -> {
						try {
							write(socket,
									"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
							socket.getOutputStream().write(body);
						}
						catch (IOException ex) {
							// The server may close before the client is done sending.
						}
					});
					sender.start();
					String answer = readUntilClosed(socket);
					sender.join(10_000);
					assertThat(answer).as("attempt %d", attempt)
						.startsWith("HTTP/1.1 413 Content Too Large")
						.endsWith("Content Too Large\n");
				}
			}
			assertThat(context.getBean(Routes.class).echoed).hasValue(0);
		});
	}

	@Test
	void tricklingRequestHeadIsAnswered408AndClosed() {
		this.runner
			.withPropertyValues("stamp.http.request-header-timeout=1s", "stamp.http.request-body-timeout=60s",
					"stamp.http.idle-timeout=60s")
			.run((context) -> {
				try (Socket socket = open(context)) {
					// A keep-alive connection idle between requests is not on the header
					// deadline.
					write(socket, "GET /about HTTP/1.1\r\nHost: x\r\n\r\n");
					assertThat(HttpListenerTests.readResponse(socket.getInputStream())).endsWith("About Page");
					Thread.sleep(1_500);
					String answer = TricklingClient.trickle(socket,
							"GET /about HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(150));
					assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close");
				}
				assertThat(context.getBean(HttpListener.class).peerErrors().count("header-timeout")).isEqualTo(1);
				assertWellBehavedClientIsServed(context);
			});
	}

	@Test
	void tricklingRequestBodyIsAnswered408AndClosedWithoutRunningTheHandler() {
		this.runner
			.withPropertyValues("stamp.http.request-body-timeout=1s", "stamp.http.request-header-timeout=60s",
					"stamp.http.idle-timeout=60s")
			.run((context) -> {
				try (Socket socket = open(context)) {
					write(socket, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
					String answer = TricklingClient.trickle(socket, "b".repeat(100));
					assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("connection: close");
				}
				assertThat(context.getBean(Routes.class).echoed).hasValue(0);
				assertThat(context.getBean(HttpListener.class).peerErrors().count("body-timeout")).isEqualTo(1);
				assertWellBehavedClientIsServed(context);
			});
	}

	@Test
	void fiftyBadRequestsLogAtMostAFewWarnLinesAndNoStackTrace() {
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		root.addAppender(appender);
		try {
			this.runner.run((context) -> {
				List<String> bad = List.of("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n",
						"GET /about HTTP/1.1\r\nHost: x\r\nContent-Length: five\r\n\r\n",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
						"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX",
						"GET /about HTTP/1.1\r\n\r\n");
				for (int i = 0; i < 50; i++) {
					try (Socket socket = open(context)) {
						write(socket, bad.get(i % bad.size()));
						assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 400");
					}
				}
				assertThat(context.getBean(HttpListener.class).peerErrors().total()).isEqualTo(50);
			});
		}
		finally {
			root.detachAppender(appender);
		}
		List<ILoggingEvent> warnings = appender.list.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.toList();
		assertThat(warnings).as("WARN lines").hasSizeLessThanOrEqualTo(3);
		assertThat(warnings).allSatisfy((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getThrowableProxy()).isNull();
		});
	}

	private static void assertWellBehavedClientIsServed(ApplicationContext context) throws IOException {
		try (Socket socket = open(context)) {
			write(socket, "GET /about HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(HttpListenerTests.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200")
				.endsWith("About Page");
		}
	}

	private static String readUntilClosed(Socket socket) throws IOException {
		return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
	}

	private static void write(Socket socket, String text) throws IOException {
		socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
		socket.getOutputStream().flush();
	}

	private static Socket open(ApplicationContext context) throws IOException {
		Socket socket = new Socket("127.0.0.1", StampContextRunner.port(context, StampProtocol.HTTP));
		socket.setSoTimeout(10_000);
		return socket;
	}

	/**
	 * Counts down once the first piece of a request body has gone through the whole
	 * pipeline, so that a test sends what follows only after the server read it.
	 */
	@Configuration(proxyBeanMethods = false)
	static class BodyProgress {

		final CountDownLatch firstChunk = new CountDownLatch(1);

		@Bean
		StampHttpServerCustomizer bodyProgress() {
			return (server) -> server.doOnConnection(
					(connection) -> connection.addHandlerLast("bodyProgress", new ChannelInboundHandlerAdapter() {

						@Override
						public void channelRead(ChannelHandlerContext ctx, Object msg) {
							boolean bodyChunk = msg instanceof HttpContent;
							ctx.fireChannelRead(msg);
							if (bodyChunk) {
								BodyProgress.this.firstChunk.countDown();
							}
						}

					}));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		final AtomicInteger smuggled = new AtomicInteger();

		final AtomicInteger echoed = new AtomicInteger();

		@StampRoute(path = "/about", method = HttpMethod.GET)
		String about(HttpRequest request) {
			return "About Page";
		}

		@StampRoute(path = "/echo", method = HttpMethod.POST)
		String echo(HttpRequest request) {
			this.echoed.incrementAndGet();
			return "echo " + request.bodyAsString();
		}

		@StampRoute(path = "/query", method = HttpMethod.GET)
		String query(HttpRequest request) {
			return request.path() + " " + request.query();
		}

		@StampRoute("/slow")
		String slow(HttpRequest request) throws InterruptedException {
			Thread.sleep(300);
			return "slow";
		}

		@StampRoute("/smuggled")
		String smuggled(HttpRequest request) {
			this.smuggled.incrementAndGet();
			return "smuggled";
		}

	}

}
