package dev.stamp.boot.middleware;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.boot.websocket.WebSocketListener;
import dev.stamp.boot.webtransport.WebTransportListener;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code allowed-origins} and {@code allow-missing-origin} of WebSocket and WebTransport,
 * with real clients: the check is a middleware step, so its refusals are logged by the
 * logging middleware and counted in the listener's {@code middleware.refused}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OriginMiddlewareIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String GOOD = "https://good.example";

	private static final String EVIL = "https://evil.example";

	private static final HttpClient httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final ApplicationContextRunner runner = StampContextRunner.create().withUserConfiguration(Routes.class);

	@Test
	void webSocketHandshakeFromAnotherOriginOrWithoutOneIsRefusedLoggedAndCounted(CapturedOutput output) {
		this.runner
			.withPropertyValues("stamp.websocket.allowed-origins=" + GOOD, "stamp.middleware.logging.enabled=true")
			.run((context) -> {
				Echo good = Echo.connect(context, GOOD);
				assertThat(good.roundTrip("hello")).isEqualTo("hello");
				assertThat(refusedWebSocketStatus(context, EVIL)).isEqualTo(403);
				assertThat(refusedWebSocketStatus(context, null)).isEqualTo(403);
				assertThat(context.getBean(WebSocketListener.class).counters()).containsEntry("middleware.refused", 2L);
				assertThat(output.getAll())
					.containsPattern("LoggingMiddleware +- websocket /echo from .* origin=" + EVIL);
			});
	}

	@Test
	void webSocketHandshakeWithoutOriginIsAcceptedWhenAllowed() {
		this.runner
			.withPropertyValues("stamp.websocket.allowed-origins=" + GOOD, "stamp.websocket.allow-missing-origin=true")
			.run((context) -> {
				assertThat(Echo.connect(context, null).roundTrip("no origin")).isEqualTo("no origin");
				assertThat(refusedWebSocketStatus(context, EVIL)).isEqualTo(403);
				assertThat(context.getBean(WebSocketListener.class).counters()).containsEntry("middleware.refused", 1L);
			});
	}

	@Test
	void webTransportSessionFromAnotherOriginOrWithoutOneIsRefusedLoggedAndCounted(CapturedOutput output) {
		this.runner
			.withPropertyValues("stamp.webtransport.allowed-origins=" + GOOD, "stamp.middleware.logging.enabled=true")
			.run((context) -> {
				try (WebTransportClient client = webTransportClient(context)) {
					WebTransportSession good = client.connect(webTransportUrl(context), Map.of("origin", GOOD))
						.block(TIMEOUT);
					assertThat(good.origin()).isEqualTo(GOOD);
					assertThatExceptionOfType(WebTransportSessionException.class)
						.isThrownBy(
								() -> client.connect(webTransportUrl(context), Map.of("origin", EVIL)).block(TIMEOUT))
						.withMessageContaining("status 403");
					assertThatExceptionOfType(WebTransportSessionException.class)
						.isThrownBy(() -> client.connect(webTransportUrl(context)).block(TIMEOUT))
						.withMessageContaining("status 403");
				}
				Map<String, Long> counters = context.getBean(WebTransportListener.class).counters();
				assertThat(counters).containsEntry("middleware.refused", 2L).containsEntry("sessions.rejected", 2L);
				assertThat(output.getAll())
					.containsPattern("LoggingMiddleware +- webtransport /session from .* origin=" + EVIL);
			});
	}

	@Test
	void webTransportSessionWithoutOriginIsAcceptedWhenAllowed() {
		this.runner
			.withPropertyValues("stamp.webtransport.allowed-origins=" + GOOD,
					"stamp.webtransport.allow-missing-origin=true")
			.run((context) -> {
				try (WebTransportClient client = webTransportClient(context)) {
					WebTransportSession session = client.connect(webTransportUrl(context)).block(TIMEOUT);
					assertThat(session.origin()).isNull();
					assertThatExceptionOfType(WebTransportSessionException.class)
						.isThrownBy(
								() -> client.connect(webTransportUrl(context), Map.of("origin", EVIL)).block(TIMEOUT))
						.withMessageContaining("status 403");
				}
			});
	}

	@Test
	void withoutAllowedOriginsNothingIsCheckedAndTheChainIsSkipped() {
		this.runner.run((context) -> {
			assertThat(Echo.connect(context, null).roundTrip("any")).isEqualTo("any");
			assertThat(Echo.connect(context, EVIL).roundTrip("any")).isEqualTo("any");
			try (WebTransportClient client = webTransportClient(context)) {
				assertThat(client.connect(webTransportUrl(context)).block(TIMEOUT)).isNotNull();
			}
			MiddlewareChain chain = context.getBean(MiddlewareChain.class);
			assertThat(chain.appliesTo(StampProtocol.WEBSOCKET)).isFalse();
			assertThat(chain.appliesTo(StampProtocol.WEBTRANSPORT)).isFalse();
		});
	}

	@Test
	void anOriginMiddlewareBeanOfTheApplicationReplacesTheBuiltInOne() {
		this.runner.withPropertyValues("stamp.websocket.allowed-origins=" + GOOD)
			.withBean(OriginMiddleware.class,
					() -> new OriginMiddleware(Map.of(StampProtocol.WEBSOCKET, new OriginPolicy(List.of(EVIL), false))))
			.run((context) -> {
				assertThat(context).hasSingleBean(OriginMiddleware.class);
				assertThat(Echo.connect(context, EVIL).roundTrip("mine")).isEqualTo("mine");
				assertThat(refusedWebSocketStatus(context, GOOD)).isEqualTo(403);
			});
	}

	private static int refusedWebSocketStatus(ApplicationContext context, String origin) {
		try {
			Echo.connect(context, origin);
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
				return handshake.getResponse().statusCode();
			}
			throw ex;
		}
		throw new AssertionError("Handshake with origin " + origin + " was accepted");
	}

	private static WebTransportClient webTransportClient(ApplicationContext context) {
		String hash = context.getEnvironment().getProperty(WebTransportListener.CERTIFICATE_HASH_PROPERTY);
		return WebTransportClient.builder().trustCertificateHash(Base64.getDecoder().decode(hash)).build();
	}

	private static URI webTransportUrl(ApplicationContext context) {
		return URI
			.create("https://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.WEBTRANSPORT) + "/session");
	}

	/** A JDK WebSocket on {@code /echo} that hands over what it receives. */
	private static final class Echo implements WebSocket.Listener {

		private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		private WebSocket socket;

		static Echo connect(ApplicationContext context, String origin) {
			Echo echo = new Echo();
			WebSocket.Builder builder = httpClient.newWebSocketBuilder();
			if (origin != null) {
				builder.header("Origin", origin);
			}
			URI uri = URI
				.create("ws://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.WEBSOCKET) + "/echo");
			echo.socket = builder.buildAsync(uri, echo).join();
			return echo;
		}

		String roundTrip(String text) throws InterruptedException {
			this.socket.sendText(text, true).join();
			String reply = this.received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(reply).as("echo of " + text).isNotNull();
			return reply;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.received.add(data.toString());
			webSocket.request(1);
			return null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute("/echo")
		String echo(WebSocketConnection connection, String message) {
			return message;
		}

		@StampRoute("/session")
		Mono<Void> session(WebTransportSession session) {
			return session.closeSignal().then();
		}

	}

}
