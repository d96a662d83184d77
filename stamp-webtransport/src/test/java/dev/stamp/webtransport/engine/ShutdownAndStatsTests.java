package dev.stamp.webtransport.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.quic.QuicChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStats;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;
import dev.stamp.webtransport.client.WebTransportClientConnection;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful shutdown (GOAWAY, DRAIN, grace period, close) and the statistics and debug
 * views.
 */
class ShutdownAndStatsTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void shutdownDrainsSessionsThatThenCloseThemselves() throws Exception {
		CompletableFuture<SessionCloseInfo> serverSaw = new CompletableFuture<>();
		this.endpoints = TestEndpoints
			.start(SessionAcceptor.of((session) -> session.closeSignal().doOnNext(serverSaw::complete).then()));
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
	void shutdownSendsAWellFormedGoAway() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.ofBlocking((session) -> {
			while (session.isOpen()) {
				session.acceptBidiStream(Duration.ofMillis(50));
			}
		}));
		WebTransportClientConnection connection = this.endpoints.client
			.openConnection(this.endpoints.server.localAddress(), "localhost");
		try {
			WebTransportSession session = connection.openSession("/goaway").block(TIMEOUT);
			QuicChannel channel = connection.quicChannel();
			Http3ClientConnectionHandler http3 = channel.pipeline().get(Http3ClientConnectionHandler.class);
			CompletableFuture<Void> shutdown = CompletableFuture
				.runAsync(() -> this.endpoints.server.shutdownGracefully(Duration.ofSeconds(5)));
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!channel.eventLoop().submit(http3::isGoAwayReceived).get(5, TimeUnit.SECONDS)) {
				assertThat(System.nanoTime()).as("GOAWAY within 10 s").isLessThan(deadline);
				Thread.sleep(10);
			}
			// A malformed frame would have been a connection error on the client's side.
			assertThat(channel.isActive()).isTrue();
			assertThat(this.endpoints.client.peerErrors().total()).isZero();
			assertThat(session.isOpen()).isTrue();
			session.close(0, "done").block(TIMEOUT);
			shutdown.get(30, TimeUnit.SECONDS);
		}
		finally {
			connection.close();
		}
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

	@Test
	void qlogTracesOfBothEndsGoToTheConfiguredDirectories(@TempDir Path traces) throws Exception {
		Path serverTraces = traces.resolve("server");
		Path clientTraces = traces.resolve("client");
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho),
				(config) -> config.qlogDirectory(serverTraces));
		try (WebTransportClient client = WebTransportClient.builder()
			.trustCertificateHash(this.endpoints.server.developmentCertificate().sha256())
			.qlogDirectory(clientTraces)
			.build()) {
			WebTransportSession session = client.connect(this.endpoints.url("/echo")).block(Duration.ofSeconds(10));
			session.close(0, "traced").block(Duration.ofSeconds(10));
		}
		for (Path directory : List.of(serverTraces, clientTraces)) {
			// Each end writes its trace from its own event loop as its connection closes:
			// the server's may still be on its way when the client's close returns.
			String trace = awaitTrace(directory);
			assertThat(trace).contains("\"qlog_format\":\"JSON-SEQ\"").contains("transport:packet_received");
		}
	}

	private static String awaitTrace(Path directory) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			List<Path> qlogs = List.of();
			if (Files.isDirectory(directory)) {
				try (Stream<Path> files = Files.list(directory)) {
					qlogs = files.filter((file) -> file.toString().endsWith(".qlog")).toList();
				}
			}
			String trace = (qlogs.size() == 1) ? Files.readString(qlogs.get(0)) : "";
			if (trace.contains("transport:packet_received") || System.nanoTime() > deadline) {
				assertThat(qlogs).as("qlog files in %s", directory).hasSize(1);
				return trace;
			}
			Thread.sleep(20);
		}
	}

}
