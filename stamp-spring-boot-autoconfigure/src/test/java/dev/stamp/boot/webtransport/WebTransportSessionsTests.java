package dev.stamp.boot.webtransport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampRoute;
import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link WebTransportSessions} over real QUIC on 127.0.0.1, with Stamp's Java client.
 */
class WebTransportSessionsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final ApplicationContextRunner runner = StampContextRunner.create().withUserConfiguration(Routes.class);

	@Test
	@SuppressWarnings("unchecked")
	void listsOpenSessionsWithTheirRoutesUnderTheActuatorsConnectionIds() {
		this.runner.run((context) -> {
			WebTransportSessions sessions = context.getBean(WebTransportSessions.class);
			try (WebTransportClient client = WebTransportListenerTests.client(context)) {
				WebTransportSession kitchen = connect(client, context, "/rooms/kitchen");
				connect(client, context, "/rooms/garden");
				connect(client, context, "/blocking");
				awaitCount(sessions, 3);

				assertThat(sessions.list()).extracting(LiveWebTransportSession::path)
					.containsExactlyInAnyOrder("/rooms/kitchen", "/rooms/garden", "/blocking");
				assertThat(sessions.listByRoute("/rooms/{name}")).extracting(LiveWebTransportSession::path)
					.containsExactlyInAnyOrder("/rooms/kitchen", "/rooms/garden");
				assertThat(sessions.listByPath("/blocking")).singleElement()
					.extracting(LiveWebTransportSession::route)
					.isEqualTo("/blocking");
				List<Map<String, Object>> actuator = context.getBean(WebTransportListener.class)
					.connections(0, 10)
					.connections();
				List<String> actuatorIds = actuator.stream()
					.flatMap((connection) -> ((List<Map<String, Object>>) connection.get("sessions")).stream()
						.map((session) -> connection.get("id") + "-" + session.get("id")))
					.toList();
				assertThat(sessions.list()).extracting(LiveWebTransportSession::id)
					.containsExactlyInAnyOrderElementsOf(actuatorIds);

				kitchen.close(0, "leaving").block(TIMEOUT);
				awaitCount(sessions, 2);
				assertThat(sessions.listByPath("/rooms/kitchen")).isEmpty();
			}
		});
	}

	@Test
	void sendOpensAStreamToThatSessionOnly() {
		this.runner.run((context) -> {
			WebTransportSessions sessions = context.getBean(WebTransportSessions.class);
			try (WebTransportClient client = WebTransportListenerTests.client(context)) {
				WebTransportSession first = connect(client, context, "/rooms/first");
				WebTransportSession second = connect(client, context, "/rooms/second");
				awaitCount(sessions, 2);
				String firstId = sessions.listByPath("/rooms/first").get(0).id();
				String secondId = sessions.listByPath("/rooms/second").get(0).id();

				sessions.send(firstId, "just for you").block(TIMEOUT);
				sessions.send(secondId, "marker".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);

				assertThat(read(first.acceptUniStream(TIMEOUT))).isEqualTo("just for you");
				// Sent after the first session's stream was complete: had that stream
				// gone to the second session too, it would have been accepted first.
				assertThat(read(second.acceptUniStream(TIMEOUT))).isEqualTo("marker");
			}
		});
	}

	@Test
	void sendDatagramReachesTheSession() {
		this.runner.run((context) -> {
			WebTransportSessions sessions = context.getBean(WebTransportSessions.class);
			try (WebTransportClient client = WebTransportListenerTests.client(context)) {
				WebTransportSession session = connect(client, context, "/rooms/datagrams");
				awaitCount(sessions, 1);
				String id = sessions.list().get(0).id();
				CompletableFuture<byte[]> received = session.datagrams().next().toFuture();

				// A datagram may be lost: send until one arrives.
				Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
					sessions.sendDatagram(id, new byte[] { 4, 2 }).block(TIMEOUT);
					return received.isDone();
				});
				assertThat(received.get()).containsExactly(4, 2);
			}
		});
	}

	@Test
	void closeGivesTheClientItsCodeAndTheSessionLeaves() {
		this.runner.run((context) -> {
			WebTransportSessions sessions = context.getBean(WebTransportSessions.class);
			try (WebTransportClient client = WebTransportListenerTests.client(context)) {
				WebTransportSession leaving = connect(client, context, "/rooms/leaving");
				connect(client, context, "/blocking");
				awaitCount(sessions, 2);
				String leavingId = sessions.listByPath("/rooms/leaving").get(0).id();
				String blockingId = sessions.listByPath("/blocking").get(0).id();

				sessions.close(leavingId, 4000, "bye").block(TIMEOUT);
				sessions.close(blockingId, 4001, "bye too").block(TIMEOUT);

				SessionCloseInfo closed = leaving.closeSignal().block(TIMEOUT);
				assertThat(closed.code()).isEqualTo(4000);
				assertThat(closed.reason()).isEqualTo("bye");
				assertThat(closed.byPeer()).isTrue();
				awaitCount(sessions, 0);
				assertThatExceptionOfType(NoSuchElementException.class)
					.isThrownBy(() -> sessions.send(leavingId, "gone").block(TIMEOUT));
				assertThat(sessions.find(leavingId)).isEmpty();
				assertThat(sessions.find("garbage")).isEmpty();
			}
		});
	}

	private static WebTransportSession connect(WebTransportClient client, ApplicationContext context, String path) {
		return client.connect(WebTransportListenerTests.url(context, path)).block(TIMEOUT);
	}

	private static String read(WebTransportStream stream) {
		byte[] bytes = WebTransportListenerTests.collect(stream.receive()).block(TIMEOUT);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static void awaitCount(WebTransportSessions sessions, int expected) {
		Awaitility.await().atMost(TIMEOUT).until(() -> sessions.count() == expected);
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		@StampRoute("/rooms/{name}")
		Mono<Void> room(WebTransportSession session) {
			return session.closeSignal().then();
		}

		@StampRoute("/blocking")
		void blocking(WebTransportSession session) {
			session.awaitClose(TIMEOUT);
		}

	}

}
