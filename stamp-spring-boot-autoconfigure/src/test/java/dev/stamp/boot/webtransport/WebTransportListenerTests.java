package dev.stamp.boot.webtransport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.middleware.StampMiddleware;
import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * WebTransport routes through the starter, over real QUIC on 127.0.0.1, with Stamp's Java
 * client trusting the development certificate by the hash the listener publishes.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebTransportListenerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final ApplicationContextRunner runner = StampContextRunner.create().withUserConfiguration(Routes.class);

	@Test
	void reactiveRouteEchoesStreamsAndDatagrams() {
		this.runner.run((context) -> {
			try (WebTransportClient client = client(context)) {
				WebTransportSession session = client.connect(url(context, "/echo")).block(TIMEOUT);
				byte[] payload = new byte[200_000];
				new Random(7).nextBytes(payload);
				WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
				Mono<byte[]> echoed = collect(stream.receive());
				stream.send(Flux.just(payload)).block(TIMEOUT);
				assertThat(echoed.block(TIMEOUT)).isEqualTo(payload);
				Mono<byte[]> datagram = session.datagrams().next();
				session.sendDatagram(new byte[] { 4, 2 }).block(TIMEOUT);
				assertThat(datagram.block(TIMEOUT)).containsExactly(4, 2);
				session.close(0, "done").block(TIMEOUT);
			}
		});
	}

	@Test
	void aReactiveRouteEndsItsSessionWhenItsPublisherEnds() {
		this.runner.run((context) -> {
			try (WebTransportClient client = client(context)) {
				SessionCloseInfo failed = client.connect(url(context, "/fails"))
					.flatMap(WebTransportSession::closeSignal)
					.block(TIMEOUT);
				assertThat(failed.code()).isOne();
				assertThat(failed.reason()).isEqualTo("internal error");
				SessionCloseInfo valued = client.connect(url(context, "/value"))
					.flatMap(WebTransportSession::closeSignal)
					.block(TIMEOUT);
				assertThat(valued.code()).isZero();
				SessionCloseInfo emptied = client.connect(url(context, "/empty"))
					.flatMap(WebTransportSession::closeSignal)
					.block(TIMEOUT);
				assertThat(emptied.code()).isZero();
			}
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void eventLoopThreadsAndAddressValidationReachTheEngine() {
		this.runner
			.withPropertyValues("stamp.webtransport.event-loop-threads=2", "stamp.webtransport.address-validation=true")
			.run((context) -> {
				try (WebTransportClient client = client(context)) {
					WebTransportSession session = client.connect(url(context, "/echo")).block(TIMEOUT);
					WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
					Mono<byte[]> echoed = collect(stream.receive());
					stream.send(Flux.just(new byte[] { 1, 2, 3 })).block(TIMEOUT);
					assertThat(echoed.block(TIMEOUT)).containsExactly(1, 2, 3);
				}
				Map<String, Object> engine = (Map<String, Object>) context.getBean(WebTransportListener.class)
					.details()
					.get("engine");
				assertThat(engine).containsEntry("eventLoops", 2);
				assertThat((Map<String, Long>) engine.get("addressValidation")).containsEntry("tokensAccepted", 1L);
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void socketBuffersReachTheEngine() {
		this.runner
			.withPropertyValues("stamp.webtransport.socket-receive-buffer=100KB",
					"stamp.webtransport.socket-send-buffer=80KB")
			.run((context) -> {
				Map<String, Object> engine = (Map<String, Object>) context.getBean(WebTransportListener.class)
					.details()
					.get("engine");
				// Linux reports twice the size set (its bookkeeping included).
				assertThat(engine).containsEntry("socketReceiveBuffer", 2 * 100 * 1024)
					.containsEntry("socketSendBuffer", 2 * 80 * 1024);
			});
	}

	@Test
	void socketBufferUpToTheKernelCapIsTakenWithoutAWarning(CapturedOutput output) throws IOException {
		long cap = kernelReceiveBufferCap();
		this.runner.withPropertyValues("stamp.webtransport.socket-receive-buffer=" + cap + "B").run((context) -> {
			assertEchoes(context);
			assertThat(receiveBuffer(context)).isEqualTo(2 * cap);
			assertThat(output).doesNotContain("WebTransport UDP receive buffer is");
		});
	}

	@Test
	void socketBufferOneByteAboveTheKernelCapIsWarnedAboutAndTheServerStillServes(CapturedOutput output)
			throws IOException {
		long cap = kernelReceiveBufferCap();
		this.runner.withPropertyValues("stamp.webtransport.socket-receive-buffer=" + (cap + 1) + "B").run((context) -> {
			assertEchoes(context);
			assertThat(receiveBuffer(context)).isEqualTo(2 * cap);
			assertThat(output)
				.contains("WebTransport UDP receive buffer is " + cap + " bytes, not the " + (cap + 1) + " configured")
				.contains("net.core.rmem_max");
		});
	}

	private static long kernelReceiveBufferCap() throws IOException {
		// readAllLines: Files.readString returns only the first digit of a sysctl file
		// here.
		return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
	}

	@SuppressWarnings("unchecked")
	private static long receiveBuffer(ApplicationContext context) {
		Map<String, Object> engine = (Map<String, Object>) context.getBean(WebTransportListener.class)
			.details()
			.get("engine");
		return ((Integer) engine.get("socketReceiveBuffer")).longValue();
	}

	private static void assertEchoes(ApplicationContext context) {
		try (WebTransportClient client = client(context)) {
			WebTransportSession session = client.connect(url(context, "/echo")).block(TIMEOUT);
			WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
			Mono<byte[]> echoed = collect(stream.receive());
			stream.send(Flux.just(new byte[] { 4, 5 })).block(TIMEOUT);
			assertThat(echoed.block(TIMEOUT)).containsExactly(4, 5);
		}
	}

	@Test
	void qlogDirectoryReceivesATracePerConnection(@TempDir Path traces) {
		this.runner.withPropertyValues("stamp.webtransport.qlog-directory=" + traces).run((context) -> {
			try (WebTransportClient client = client(context)) {
				client.connect(url(context, "/echo")).block(TIMEOUT).close(0, "traced").block(TIMEOUT);
			}
			try (Stream<Path> files = Files.list(traces)) {
				assertThat(files.filter((file) -> file.toString().endsWith(".qlog"))).hasSize(1);
			}
		});
	}

	@Test
	void blockingRouteRunsOffTheEventLoopWithStreamsAsInputAndOutputStreams() {
		this.runner.run((context) -> {
			try (WebTransportClient client = client(context)) {
				WebTransportSession session = client.connect(url(context, "/shout")).block(TIMEOUT);
				WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
				Mono<byte[]> reply = collect(stream.receive());
				stream.write("hello".getBytes()).then(stream.finish()).block(TIMEOUT);
				assertThat(new String(reply.block(TIMEOUT))).startsWith("HELLO from stamp-handler-");
			}
		});
	}

	@Test
	void pathVariablesArriveInTheSession() {
		this.runner.run((context) -> {
			try (WebTransportClient client = client(context)) {
				WebTransportSession session = client.connect(url(context, "/rooms/kitchen/tables/3")).block(TIMEOUT);
				WebTransportStream stream = session.acceptUniStream(TIMEOUT);
				assertThat(new String(stream.inputStream().readAllBytes()))
					.isEqualTo("room kitchen, table 3, {room=kitchen, table=3}");
			}
		});
	}

	@Test
	void unknownPathIsAnswered404AndForeignOriginIs403() {
		this.runner.withPropertyValues("stamp.webtransport.allowed-origins=https://good.example").run((context) -> {
			try (WebTransportClient client = client(context)) {
				assertThatExceptionOfType(WebTransportSessionException.class)
					.isThrownBy(() -> client.connect(url(context, "/nowhere"), Map.of("origin", "https://good.example"))
						.block(TIMEOUT))
					.withMessageContaining("status 404");
				assertThatExceptionOfType(WebTransportSessionException.class)
					.isThrownBy(() -> client.connect(url(context, "/echo"), Map.of("origin", "https://evil.example"))
						.block(TIMEOUT))
					.withMessageContaining("status 403: Forbidden");
				WebTransportSession good = client
					.connect(url(context, "/echo"), Map.of("origin", "https://good.example"))
					.block(TIMEOUT);
				assertThat(good.origin()).isEqualTo("https://good.example");
			}
		});
	}

	@Test
	void middlewareRefusesSessionsAndPassesAttributes() {
		this.runner.withUserConfiguration(TokenMiddleware.class).run((context) -> {
			try (WebTransportClient client = client(context)) {
				assertThatExceptionOfType(WebTransportSessionException.class)
					.isThrownBy(() -> client.connect(url(context, "/whoami")).block(TIMEOUT))
					.withMessageContaining("status 401");
				WebTransportSession session = client.connect(url(context, "/whoami"), Map.of("authorization", "token"))
					.block(TIMEOUT);
				WebTransportStream stream = session.acceptUniStream(TIMEOUT);
				assertThat(new String(stream.inputStream().readAllBytes())).isEqualTo("user alice");
			}
		});
	}

	@Test
	void rateLimitAnswers429AtTheSessionAfterTheLimit() {
		this.runner
			.withPropertyValues("stamp.middleware.rate-limit.enabled=true",
					"stamp.middleware.rate-limit.max-requests=2")
			.run((context) -> {
				try (WebTransportClient client = client(context)) {
					client.connect(url(context, "/echo")).block(TIMEOUT);
					client.connect(url(context, "/echo")).block(TIMEOUT);
					assertThatExceptionOfType(WebTransportSessionException.class)
						.isThrownBy(() -> client.connect(url(context, "/echo")).block(TIMEOUT))
						.withMessageContaining("status 429");
				}
			});
	}

	@Test
	void listenerPublishesPortAndCertificateHashAndWithdrawsThemOnStop() {
		this.runner.run((context) -> {
			WebTransportListener listener = context.getBean(WebTransportListener.class);
			assertThat(listener.isRunning()).isTrue();
			String hash = context.getEnvironment().getProperty(WebTransportListener.CERTIFICATE_HASH_PROPERTY);
			assertThat(hash).isEqualTo(listener.certificateHash());
			assertThat(Base64.getDecoder().decode(hash)).hasSize(32);
			assertThat(listener.details()).containsKeys("statistics", "developmentCertificateSha256", "engine");
			listener.stop();
			assertThat(listener.isRunning()).isFalse();
			assertThat(context.getEnvironment().getProperty("local.stamp.webtransport.port")).isNull();
			assertThat(context.getEnvironment().getProperty(WebTransportListener.CERTIFICATE_HASH_PROPERTY)).isNull();
		});
	}

	static WebTransportClient client(ApplicationContext context) {
		String hash = context.getEnvironment().getProperty(WebTransportListener.CERTIFICATE_HASH_PROPERTY);
		return WebTransportClient.builder().trustCertificateHash(Base64.getDecoder().decode(hash)).build();
	}

	static URI url(ApplicationContext context, String path) {
		return URI.create("https://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.WEBTRANSPORT) + path);
	}

	static Mono<byte[]> collect(Flux<byte[]> chunks) {
		return chunks.collect(ByteArrayOutputStream::new, ByteArrayOutputStream::writeBytes)
			.map(ByteArrayOutputStream::toByteArray);
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute("/echo")
		Mono<Void> echo(WebTransportSession session) {
			Mono<Void> streams = session.acceptedBidiStreams()
				.flatMap((stream) -> stream.send(stream.receive()))
				.then();
			Mono<Void> datagrams = session.datagrams().concatMap(session::sendDatagram).then();
			return Mono.when(streams, datagrams);
		}

		@StampRoute("/fails")
		Mono<Void> fails(WebTransportSession session) {
			return Mono.delay(Duration.ofMillis(50)).then(Mono.error(new IllegalStateException("route failed")));
		}

		@StampRoute("/value")
		Mono<String> value(WebTransportSession session) {
			return Mono.delay(Duration.ofMillis(50)).thenReturn("ignored");
		}

		@StampRoute("/empty")
		Mono<Void> empty(WebTransportSession session) {
			return Mono.delay(Duration.ofMillis(50)).then();
		}

		@StampRoute("/shout")
		void shout(WebTransportSession session) throws Exception {
			WebTransportStream stream = session.acceptBidiStream(TIMEOUT);
			InputStream in = stream.inputStream();
			String text = new String(in.readAllBytes()).toUpperCase();
			try (OutputStream out = stream.outputStream()) {
				out.write((text + " from " + Thread.currentThread().getName()).getBytes());
			}
		}

		@StampRoute("/rooms/{room}/tables/{table}")
		void room(WebTransportSession session) throws Exception {
			WebTransportStream stream = session.openUniStreamBlocking();
			try (OutputStream out = stream.outputStream()) {
				out.write(("room " + session.pathVariable("room") + ", table " + session.pathVariable("table") + ", "
						+ session.pathVariables())
					.getBytes());
			}
			session.closeSignal().block(TIMEOUT);
		}

		@StampRoute("/whoami")
		void whoami(WebTransportSession session) throws Exception {
			WebTransportStream stream = session.openUniStreamBlocking();
			try (OutputStream out = stream.outputStream()) {
				out.write(("user " + session.attributes().get("user")).getBytes());
			}
			session.closeSignal().block(TIMEOUT);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TokenMiddleware {

		@Bean
		StampMiddleware token() {
			return (request) -> {
				if (!"token".equals(request.header("authorization"))) {
					return Mono.just(dev.stamp.boot.middleware.MiddlewareDecision.reject(401, "no token"));
				}
				request.attributes().put("user", "alice");
				return Mono.just(dev.stamp.boot.middleware.MiddlewareDecision.proceed());
			};
		}

	}

}
