package dev.stamp.webtransport.engine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.client.WebTransportClient;
import dev.stamp.webtransport.client.WebTransportClientConnection;
import dev.stamp.webtransport.internal.EngineStats;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Every limit at its boundary: N allowed, N+1 refused cleanly and counted. */
class LimitTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private TestEndpoints endpoints;

	private final List<AutoCloseable> toClose = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable closeable : this.toClose) {
			closeable.close();
		}
		if (this.endpoints != null) {
			this.endpoints.close();
		}
	}

	private static Mono<Void> holdOpen(WebTransportSession session) {
		return session.closeSignal().then();
	}

	private InetSocketAddress serverAddress() {
		return this.endpoints.server.localAddress();
	}

	@Test
	void maxConnections() {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(LimitTests::holdOpen), (c) -> c.maxConnections(2));
		WebTransportClient impatient = WebTransportClient.builder()
			.trustCertificateHash(this.endpoints.server.developmentCertificate().sha256())
			.connectTimeout(Duration.ofSeconds(3))
			.build();
		this.toClose.add(impatient);
		for (int i = 0; i < 2; i++) {
			WebTransportClientConnection connection = impatient.openConnection(serverAddress(), "localhost");
			connection.openSession("/a").block(TIMEOUT);
		}
		assertThatExceptionOfType(WebTransportSessionException.class)
			.isThrownBy(() -> impatient.openConnection(serverAddress(), "localhost").openSession("/a").block(TIMEOUT));
		// counted per attempt: a refused client may retransmit its Initial packet before
		// giving up
		assertThat(this.endpoints.server.statistics().connections().refusedConnections()).isPositive();
		assertThat(this.endpoints.server.statistics().connections().activeConnections()).isEqualTo(2);
	}

	@Test
	void maxSessionsOverAllConnectionsAnswers503AndFreesSlotsOnClose() {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(LimitTests::holdOpen), (c) -> c.maxSessions(2));
		WebTransportSession first = this.endpoints.client.connect(this.endpoints.url("/s")).block(TIMEOUT);
		this.endpoints.client.connect(this.endpoints.url("/s")).block(TIMEOUT);
		assertThatExceptionOfType(WebTransportSessionException.class)
			.isThrownBy(() -> this.endpoints.client.connect(this.endpoints.url("/s")).block(TIMEOUT))
			.withMessageContaining("status 503: ");
		assertThat(this.endpoints.server.statistics().refusals(EngineStats.MAX_SESSIONS)).isEqualTo(1);
		first.close(0, "make room").block(TIMEOUT);
		awaitActiveSessions(1);
		assertThat(this.endpoints.client.connect(this.endpoints.url("/s")).block(TIMEOUT).isOpen()).isTrue();
	}

	@Test
	void maxSessionsPerConnection() {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(LimitTests::holdOpen),
				(c) -> c.maxSessionsPerConnection(2));
		WebTransportClientConnection connection = this.endpoints.client.openConnection(serverAddress(), "localhost");
		WebTransportSession one = connection.openSession("/p").block(TIMEOUT);
		WebTransportSession two = connection.openSession("/p").block(TIMEOUT);
		assertThat(one.id()).isNotEqualTo(two.id());
		assertThatExceptionOfType(WebTransportSessionException.class)
			.isThrownBy(() -> connection.openSession("/p").block(TIMEOUT))
			.withMessageContaining("status 503");
		assertThat(this.endpoints.server.statistics().refusals(EngineStats.MAX_SESSIONS_PER_CONNECTION)).isEqualTo(1);
		// another connection is not affected
		assertThat(this.endpoints.client.connect(this.endpoints.url("/p")).block(TIMEOUT).isOpen()).isTrue();
	}

	@Test
	void maxStreamsPerSessionResetsTheStreamOverTheLimit() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor
			.of((session) -> session.acceptedBidiStreams().flatMap((stream) -> stream.send(stream.receive())).then()),
				(c) -> c.maxStreamsPerSession(3));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/streams")).block(TIMEOUT);
		List<WebTransportStream> open = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
			stream.write(new byte[] { (byte) i }).block(TIMEOUT);
			open.add(stream);
		}
		WebTransportStream extra = session.openBidiStream().block(TIMEOUT); // its header
																			// reaches the
																			// server at
																			// once
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> extra.receive().blockLast(TIMEOUT))
			.havingRootCause()
			.isInstanceOf(WebTransportStreamException.class)
			.withMessageContaining("HTTP/3 code 0x10b");
		assertThat(this.endpoints.server.statistics().refusals(EngineStats.MAX_STREAMS_PER_SESSION)).isEqualTo(1);
		// the three streams within the limit still work
		for (int i = 0; i < 3; i++) {
			WebTransportStream stream = open.get(i);
			Mono<byte[]> echoed = StreamEchoTests.collect(stream.receive());
			stream.finish().block(TIMEOUT);
			assertThat(echoed.block(TIMEOUT)).containsExactly(i);
		}
		// once they are closed, new streams are accepted again
		WebTransportStream later = session.openBidiStream().block(TIMEOUT);
		Mono<byte[]> echoed = StreamEchoTests.collect(later.receive());
		later.send(Mono.just(new byte[] { 42 })).block(TIMEOUT);
		assertThat(echoed.block(TIMEOUT)).containsExactly(42);
	}

	@Test
	void idleTimeoutClosesQuietSessions() {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(LimitTests::holdOpen),
				(c) -> c.idleTimeout(Duration.ofMillis(500)));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/idle")).block(TIMEOUT);
		assertThat(session.awaitClose(TIMEOUT).byPeer()).isTrue();
		awaitActiveSessions(0);
	}

	private void awaitActiveSessions(long expected) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.endpoints.server.statistics().activeSessions() != expected && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.endpoints.server.statistics().activeSessions()).isEqualTo(expected);
	}

}
