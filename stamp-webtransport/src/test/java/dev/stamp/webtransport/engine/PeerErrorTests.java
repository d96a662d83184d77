package dev.stamp.webtransport.engine;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.internal.EngineStats;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.LogCapture;
import dev.stamp.webtransport.support.TestEndpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** Peer-caused errors are counted by kind and logged once per burst, never a stack trace per event. */
class PeerErrorTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@ParameterizedTest(name = "{0} event loop(s)")
	@ValueSource(ints = { 1, 2 })
	void garbageFloodOnTheUdpPortIsCountedAndLoggedOncePerBurst(int eventLoops) throws Exception {
		// One event loop has Netty's QUIC codec alone on the socket; more put its dispatcher in front.
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho),
				(config) -> config.eventLoopThreads(eventLoops));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/echo")).block(TIMEOUT);
		assertEcho(session, "before");
		try (LogCapture log = LogCapture.start()) {
			int echoesDuringFlood = 0;
			Thread flood = new Thread(() -> sendGarbage(this.endpoints.server.localAddress(), 100_000));
			flood.start();
			while (flood.isAlive()) {
				assertEcho(session, "during " + ++echoesDuringFlood);
			}
			flood.join();
			assertEcho(session, "after");
			PeerErrors errors = this.endpoints.server.peerErrors();
			assertThat(errors.count(EngineStats.QUIC_PACKET_MALFORMED)).isPositive();
			assertThat(this.endpoints.server.statistics().peerErrors(EngineStats.QUIC_PACKET_MALFORMED))
				.isEqualTo(errors.count(EngineStats.QUIC_PACKET_MALFORMED));
			assertBoundedAndWithoutStackTraces(log);
		}
	}

	private static void assertBoundedAndWithoutStackTraces(LogCapture log) {
		List<ILoggingEvent> logged = log.atLeast(Level.INFO);
		assertThat(logged).as("log lines").hasSizeLessThan(10);
		assertThat(logged).as("log lines with a stack trace").noneMatch((event) -> event.getThrowableProxy() != null);
	}

	private static void assertEcho(WebTransportSession session, String text) {
		WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
		Mono<byte[]> echoed = StreamEchoTests.collect(stream.receive());
		stream.send(Mono.just(text.getBytes())).block(TIMEOUT);
		assertThat(new String(echoed.block(TIMEOUT))).isEqualTo(text);
	}

	/** Random datagrams, a third of them shaped like QUIC version 1 long-header packets. */
	private static void sendGarbage(InetSocketAddress target, int count) {
		Random random = new Random(42);
		try (DatagramSocket socket = new DatagramSocket()) {
			for (int i = 0; i < count; i++) {
				byte[] packet = (i % 3 == 0) ? longHeaderShaped(random) : randomBytes(random, 1 + random.nextInt(1400));
				socket.send(new DatagramPacket(packet, packet.length, target));
			}
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static byte[] longHeaderShaped(Random random) {
		byte[] packet = randomBytes(random, 1200 + random.nextInt(200));
		packet[0] = (byte) (0xc0 | random.nextInt(0x40));
		packet[1] = 0;
		packet[2] = 0;
		packet[3] = 0;
		packet[4] = 1;
		int dcidLength = 1 + random.nextInt(20);
		packet[5] = (byte) dcidLength;
		int scidAt = 6 + dcidLength;
		packet[scidAt] = (byte) random.nextInt(21);
		return packet;
	}

	private static byte[] randomBytes(Random random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

}
