package dev.stamp.benchmarks;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Flupke echo peer, driven by Stamp's own WebTransport client over real QUIC on
 * 127.0.0.1.
 */
class FlupkeWebTransportEchoTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How long one attempt at a multi-stream echo may take: it takes about 100 ms, a few
	 * seconds on a loaded 2-core machine.
	 */
	private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

	/** Attempts at an echo before Flupke counts as failing, see {@link #onFlupke}. */
	private static final int ATTEMPTS = 3;

	private FlupkeWebTransportEcho echo;

	private WebTransportClient client;

	@BeforeEach
	void start() {
		this.echo = FlupkeWebTransportEcho.start("/echo");
		this.client = WebTransportClient.builder().trustCertificateHash(this.echo.certificateSha256()).build();
	}

	@AfterEach
	void stop() {
		// Client first: Kwik's close waits for the connections to go away.
		if (this.client != null) {
			this.client.close();
		}
		if (this.echo != null) {
			this.echo.close();
		}
	}

	@Test
	void bindsAnEphemeralPortAndServesTheGeneratedCertificate() {
		assertThat(this.echo.port()).isPositive();
		assertThat(this.echo.certificateSha256()).hasSize(32);
	}

	@Test
	void bidirectionalStreamOf256KibIsEchoedByteForByte() {
		byte[] payload = randomBytes(256 * 1024, 1);
		byte[] echoed = onFlupke((session) -> echo(session, payload, 16 * 1024));
		assertThat(echoed).isEqualTo(payload);
	}

	@Test
	void sixteenConcurrentBidirectionalStreamsOnOneSessionAreEachEchoed() {
		List<byte[]> payloads = Flux.range(0, 16).map((i) -> randomBytes(64 * 1024 + i, i)).collectList().block();
		List<byte[]> echoed = onFlupke((session) -> Flux.fromIterable(payloads)
			.flatMapSequential((payload) -> echo(session, payload, 8 * 1024), 16)
			.collectList());
		assertThat(echoed).hasSize(16);
		for (int i = 0; i < 16; i++) {
			assertThat(echoed.get(i)).as("stream %d", i).isEqualTo(payloads.get(i));
		}
	}

	@Test
	void unidirectionalStreamIsEchoedOnAServerOpenedUnidirectionalStream() throws InterruptedException {
		WebTransportSession session = connect();
		byte[] payload = randomBytes(100_000, 2);
		WebTransportStream out = session.openUniStream().block(TIMEOUT);
		out.send(Flux.just(slice(payload, 0, 40_000), slice(payload, 40_000, payload.length))).block(TIMEOUT);
		WebTransportStream back = session.acceptUniStream(TIMEOUT);
		assertThat(back).isNotNull();
		assertThat(back.isLocallyOpened()).isFalse();
		assertThat(back.isBidirectional()).isFalse();
		assertThat(collect(back.receive()).block(TIMEOUT)).isEqualTo(payload);
		session.close(0, "done").block(TIMEOUT);
	}

	@Test
	void fiftySessionsOneAfterAnotherAreEachServedAndReleased() throws InterruptedException {
		for (int i = 0; i < 50; i++) {
			WebTransportSession session = connect();
			byte[] payload = ("session " + i).getBytes();
			assertThat(echo(session, payload, payload.length).block(TIMEOUT)).as("session %d", i).isEqualTo(payload);
			session.close(0, "done").block(TIMEOUT);
			assertThat(session.awaitClose(TIMEOUT)).isNotNull();
		}
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.echo.openSessions() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(this.echo.openSessions()).isZero();
	}

	/**
	 * Runs {@code exchange} on a new session, again on another one if Flupke fails it.
	 * <p>
	 * Flupke 0.9.4's server fails a few percent of 16-stream echoes on a loaded machine
	 * (about 5% of 200 rounds next to one busy core): it stops sending a stream part way
	 * and never goes on, although its copy has ended, or it refuses a stream that arrives
	 * before its session handler ran (it buffers three, as draft-ietf-webtrans-http3
	 * allows). The client's qlog shows that it delivered every byte that arrived, so
	 * these are Flupke's and are retried; what comes back is still compared byte for
	 * byte, and a wrong byte fails at once.
	 */
	private <T> T onFlupke(Function<WebTransportSession, Mono<T>> exchange) {
		RuntimeException failure = null;
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			WebTransportSession session = connect();
			try {
				return exchange.apply(session).timeout(ATTEMPT_TIMEOUT).block();
			}
			catch (RuntimeException ex) {
				if (!isFlupkeFailure(ex)) {
					throw ex;
				}
				System.err.println("Flupke failed echo attempt " + attempt + " of " + ATTEMPTS + ": " + ex);
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
			finally {
				session.close(0, "done").block(TIMEOUT);
			}
		}
		throw failure;
	}

	/** A stalled echo or a stream Flupke reset or stopped, as opposed to wrong bytes. */
	private static boolean isFlupkeFailure(RuntimeException ex) {
		Throwable cause = Exceptions.unwrap(ex);
		return cause instanceof WebTransportStreamException || cause instanceof TimeoutException;
	}

	private WebTransportSession connect() {
		WebTransportSession session = this.client.connect(URI.create("https://127.0.0.1:" + this.echo.port() + "/echo"))
			.block(TIMEOUT);
		assertThat(session).isNotNull();
		return session;
	}

	/**
	 * Sends {@code payload} in chunks on a new bidirectional stream and collects what
	 * comes back, concurrently.
	 */
	private static Mono<byte[]> echo(WebTransportSession session, byte[] payload, int chunk) {
		return session.openBidiStream().flatMap((stream) -> {
			Flux<byte[]> chunks = Flux.range(0, (payload.length + chunk - 1) / chunk)
				.map((i) -> slice(payload, i * chunk, i * chunk + chunk));
			return Mono.zip(collect(stream.receive()), stream.send(chunks).thenReturn(Boolean.TRUE))
				.map((both) -> both.getT1());
		});
	}

	private static Mono<byte[]> collect(Flux<byte[]> chunks) {
		return chunks.collect(ByteArrayOutputStream::new, (out, chunk) -> out.write(chunk, 0, chunk.length))
			.map(ByteArrayOutputStream::toByteArray);
	}

	private static byte[] randomBytes(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static byte[] slice(byte[] source, int from, int to) {
		int end = Math.min(source.length, to);
		byte[] part = new byte[end - from];
		System.arraycopy(source, from, part, 0, part.length);
		return part;
	}

}
