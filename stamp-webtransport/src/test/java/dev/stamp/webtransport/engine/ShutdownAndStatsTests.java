package dev.stamp.webtransport.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStats;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.TestEndpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** Graceful shutdown (GOAWAY, DRAIN, grace period, close) and the statistics and debug views. */
class ShutdownAndStatsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private TestEndpoints endpoints;

	@AfterEach
	void stop() {
		if (this.endpoints != null) {
			this.endpoints.close();
		}
	}

	@Test
	void shutdownDrainsSessionsThatThenCloseThemselves() throws Exception {
		CompletableFuture<SessionCloseInfo> serverSaw = new CompletableFuture<>();
		this.endpoints = TestEndpoints.start(SessionAcceptor.of((session) -> session.closeSignal()
			.doOnNext(serverSaw::complete)
			.then()));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/drain")).block(TIMEOUT);
		// a well-behaved client: when asked to drain, it finishes and closes
		session.drainSignal().then(Mono.defer(() -> session.close(0, "drained"))).subscribe();
		CompletableFuture<Void> shutdown = CompletableFuture
			.runAsync(() -> this.endpoints.server.shutdownGracefully(Duration.ofSeconds(20)));
		assertThat(serverSaw.get(30, TimeUnit.SECONDS)).isEqualTo(new SessionCloseInfo(0, "drained", true));
		shutdown.get(30, TimeUnit.SECONDS);
		assertThat(this.endpoints.server.isAccepting()).isFalse();
		assertThat(this.endpoints.server.statistics().activeSessions()).isZero();
	}

	@Test
	void shutdownClosesSessionsThatIgnoreDrainAfterTheGracePeriod() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.ofBlocking((session) -> {
			// a handler that never ends on its own and ignores DRAIN
			while (session.isOpen()) {
				session.acceptBidiStream(Duration.ofMillis(50));
			}
		}));
		WebTransportSession first = this.endpoints.client.connect(this.endpoints.url("/stubborn")).block(TIMEOUT);
		WebTransportSession second = this.endpoints.client.connect(this.endpoints.url("/stubborn")).block(TIMEOUT);
		CompletableFuture<Void> shutdown = CompletableFuture
			.runAsync(() -> this.endpoints.server.shutdownGracefully(Duration.ofMillis(300)));
		shutdown.get(30, TimeUnit.SECONDS);
		for (WebTransportSession session : List.of(first, second)) {
			SessionCloseInfo info = session.awaitClose(TIMEOUT);
			assertThat(info.byPeer()).isTrue();
			assertThat(session.isDraining()).isTrue();
		}
		assertThat(first.awaitClose(TIMEOUT).reason()).isIn("server shutting down", "CONNECT stream closed");
	}

	@Test
	void statisticsAndDebugStateDescribeTheTraffic() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/stats")).block(TIMEOUT);
		WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
		Mono<byte[]> echoed = StreamEchoTests.collect(stream.receive());
		stream.send(Mono.just(new byte[1000])).block(TIMEOUT);
		assertThat(echoed.block(TIMEOUT)).hasSize(1000);
		WebTransportStats stats = this.endpoints.server.statistics();
		assertThat(stats.connections().activeConnections()).isEqualTo(1);
		assertThat(stats.activeSessions()).isEqualTo(1);
		assertThat(stats.acceptedSessions()).isEqualTo(1);
		assertThat(stats.incomingStreams()).isEqualTo(1);
		assertThat(stats.streamBytesReceived()).isEqualTo(1000);
		assertThat(stats.streamBytesSent()).isEqualTo(1000);
		Map<String, Object> debug = this.endpoints.server.debugState();
		assertThat(debug).containsEntry("accepting", true);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> connections = (List<Map<String, Object>>) debug.get("connections");
		assertThat(connections).hasSize(1);
		assertThat(connections.get(0).get("peerDialect")).isEqualTo("DRAFT_02");
		assertThat(connections.get(0).get("sessions").toString()).contains("path=/stats");
		WebTransportStats clientStats = this.endpoints.client.statistics();
		assertThat(clientStats.outgoingStreams()).isEqualTo(1);
		assertThat(clientStats.activeSessions()).isEqualTo(1);
	}

}
