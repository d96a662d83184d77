package dev.stamp.webtransport.engine;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.LossyUdpProxy;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An echo whose bytes already went out when the peer's FIN arrives must still end, even
 * when the acknowledgement of those bytes comes right behind that FIN, in the same
 * receive batch. This is the packet order Firefox produced: quiche counts a stream's
 * sending side as complete once every byte is acknowledged, whether or not its FIN was
 * sent, so a FIN-only frame still waiting in quiche was dropped with the stream and the
 * peer never saw the end.
 */
class EchoEndTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The relay sends the held datagrams back to back, but the server does not always
	 * read both in one batch.
	 */
	private static final int STREAMS = 10;

	@Test
	void echoEndsWhenTheAckOfItsBytesFollowsThePeersFin() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		try (LossyUdpProxy relay = new LossyUdpProxy(this.endpoints.server.localAddress(), 0, 1)) {
			URI url = URI.create("https://127.0.0.1:" + relay.address().getPort() + "/echo");
			WebTransportSession session = this.endpoints.client.connect(url).block(TIMEOUT);
			for (int i = 0; i < STREAMS; i++) {
				byte[] payload = ("echo before FIN " + i + " ").repeat(20).getBytes(StandardCharsets.UTF_8);
				WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
				AtomicInteger received = new AtomicInteger();
				Mono<byte[]> echoed = StreamEchoTests
					.collect(stream.receive().doOnNext((chunk) -> received.addAndGet(chunk.length)))
					.cache();
				echoed.subscribe();
				// From the echo on, hold what the client sends: its ACK of the echo, then
				// its FIN.
				relay.holdToServerAfterReplyOf(payload.length);
				stream.write(payload).block(TIMEOUT);
				awaitUntil(() -> received.get() == payload.length && relay.heldToServer() >= 1);
				stream.finish().block(TIMEOUT);
				awaitUntil(() -> relay.heldToServer() >= 2);
				// FIN first, the acknowledgement of the echoed bytes after it.
				relay.releaseToServerReversed();
				byte[] echo = echoed.timeout(TIMEOUT, Mono.empty()).block();
				assertThat(echo).as("stream %d: its echo, ended by FIN", i).isEqualTo(payload);
			}
		}
	}

	private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
			Thread.sleep(1);
		}
	}

}
