package dev.stamp.webtransport.engine;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClientConnection;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several sessions on one QUIC connection: streams and datagrams reach the session they
 * name, and only it.
 */
class MultiSessionTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Answers every stream and datagram with the session's path in front. */
	private static Mono<Void> tagWithPath(WebTransportSession session) {
		byte[] tag = session.path().getBytes();
		Mono<Void> streams = session.acceptedBidiStreams()
			.flatMap((stream) -> stream.send(Flux.concat(Mono.just(tag), stream.receive())))
			.then();
		Mono<Void> datagrams = session.datagrams()
			.concatMap((datagram) -> session.sendDatagram(concat(tag, datagram)))
			.then();
		return Mono.when(streams, datagrams);
	}

	@Test
	void streamsAndDatagramsAreRoutedBySessionId() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(MultiSessionTests::tagWithPath));
		WebTransportClientConnection connection = this.endpoints.client
			.openConnection(this.endpoints.server.localAddress(), "localhost");
		WebTransportSession first = connection.openSession("/first").block(TIMEOUT);
		WebTransportSession second = connection.openSession("/second").block(TIMEOUT);
		assertThat(first.id()).isNotEqualTo(second.id());
		for (int round = 0; round < 3; round++) {
			for (WebTransportSession session : new WebTransportSession[] { second, first }) {
				WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
				Mono<byte[]> answer = StreamEchoTests.collect(stream.receive());
				stream.send(Mono.just((":" + round).getBytes())).block(TIMEOUT);
				assertThat(new String(answer.block(TIMEOUT))).isEqualTo(session.path() + ":" + round);
				session.sendDatagram(("!" + round).getBytes()).block(TIMEOUT);
				assertThat(new String(session.receiveDatagram(TIMEOUT))).isEqualTo(session.path() + "!" + round);
			}
		}
		first.close(0, "first done").block(TIMEOUT);
		assertThat(first.awaitClose(TIMEOUT).reason()).isEqualTo("first done");
		// closing one session leaves the other working
		WebTransportStream stream = second.openBidiStream().block(TIMEOUT);
		Mono<byte[]> answer = StreamEchoTests.collect(stream.receive());
		stream.send(Mono.just("?".getBytes())).block(TIMEOUT);
		assertThat(new String(answer.block(TIMEOUT))).isEqualTo("/second?");
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.endpoints.server.statistics().activeSessions() != 1 && System.nanoTime() < deadline) {
			Thread.sleep(10); // the server ends the session when the CLOSE capsule
								// arrives
		}
		assertThat(this.endpoints.server.statistics().activeSessions()).isEqualTo(1);
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = new byte[a.length + b.length];
		System.arraycopy(a, 0, both, 0, a.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

}
