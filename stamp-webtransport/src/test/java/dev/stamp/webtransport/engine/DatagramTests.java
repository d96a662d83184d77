package dev.stamp.webtransport.engine;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.DatagramTooLargeException;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.internal.EngineStats;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Datagrams with the quarter-stream-id prefix, both directions, at and over the size
 * limit.
 */
class DatagramTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	static Mono<Void> datagramEcho(WebTransportSession session) {
		return session.datagrams().concatMap(session::sendDatagram).then();
	}

	@Test
	void datagramsAreEchoedUnchanged() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(DatagramTests::datagramEcho));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/dg")).block(TIMEOUT);
		assertThat(session.maxDatagramSize()).isGreaterThan(1000);
		for (int i = 0; i < 10; i++) {
			byte[] payload = ("datagram " + i).getBytes();
			session.sendDatagram(payload).block(TIMEOUT);
			assertThat(session.receiveDatagram(TIMEOUT)).isEqualTo(payload);
		}
		assertThat(this.endpoints.server.statistics().datagramsReceived()).isEqualTo(10);
		assertThat(this.endpoints.server.statistics().datagramsSent()).isEqualTo(10);
	}

	@Test
	void datagramOfExactlyTheMaximumSizeIsDeliveredAndOneMoreIsRefused() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(DatagramTests::datagramEcho));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/dg")).block(TIMEOUT);
		int max = session.maxDatagramSize();
		byte[] largest = new byte[max];
		Arrays.fill(largest, (byte) 7);
		session.sendDatagram(largest).block(TIMEOUT);
		assertThat(session.receiveDatagram(TIMEOUT)).isEqualTo(largest);
		assertThatExceptionOfType(DatagramTooLargeException.class)
			.isThrownBy(() -> session.sendDatagram(new byte[max + 1]).block(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.maxSize()).isEqualTo(max))
			.withMessageContaining("exceeds the maximum of " + max);
	}

	@Test
	void serverCapOnDatagramSizeIsExposedAndEnforcedOnReceive() throws Exception {
		int[] serverMax = new int[1];
		this.endpoints = TestEndpoints.start(SessionAcceptor.of((session) -> {
			serverMax[0] = session.maxDatagramSize();
			return datagramEcho(session);
		}), (config) -> config.maxDatagramPayloadSize(100));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/dg")).block(TIMEOUT);
		session.sendDatagram(new byte[101]).block(TIMEOUT); // the client allows it; the
															// server must drop it
		byte[] fits = new byte[100];
		fits[99] = 1;
		session.sendDatagram(fits).block(TIMEOUT);
		assertThat(session.receiveDatagram(TIMEOUT)).isEqualTo(fits);
		assertThat(serverMax[0]).isEqualTo(100);
		assertThat(this.endpoints.server.statistics().refusals(EngineStats.DATAGRAM_TOO_LARGE)).isEqualTo(1);
	}

}
