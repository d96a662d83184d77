package dev.stamp.webtransport.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STOP_SENDING from the peer ends a sender's writes with an error instead of leaving them
 * pending.
 */
class StopSendingTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void endlessSenderFailsWhenThePeerStopsReading() throws Exception {
		CompletableFuture<Throwable> senderOutcome = new CompletableFuture<>();
		this.endpoints = TestEndpoints.start(SessionAcceptor.of((session) -> session.openUniStream()
			.flatMap((stream) -> stream.send(Flux.generate((sink) -> sink.next(new byte[16 * 1024]))))
			.doOnError(senderOutcome::complete)
			.doOnSuccess((v) -> senderOutcome.complete(null))
			.onErrorResume((ex) -> session.closeSignal().then())));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/stop")).block(TIMEOUT);
		WebTransportStream stream = session.acceptUniStream(TIMEOUT);
		assertThat(stream.receive().take(3).collectList().block(TIMEOUT)).hasSize(3); // cancelling
																						// sends
																						// STOP_SENDING
		Throwable outcome = senderOutcome.get(30, TimeUnit.SECONDS);
		assertThat(outcome).isInstanceOf(WebTransportStreamException.class).hasMessageContaining("STOP_SENDING");
		assertThat(session.isOpen()).isTrue();
	}

}
