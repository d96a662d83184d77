package dev.stamp.webtransport.engine;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream echo through the real QUIC stack, client to server and server to client,
 * reactive and blocking.
 */
class StreamEchoTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Echo every bidi stream, echo every uni stream onto a new server-opened uni stream.
	 */
	static Mono<Void> reactiveEcho(WebTransportSession session) {
		Mono<Void> bidi = session.acceptedBidiStreams().flatMap((stream) -> stream.send(stream.receive())).then();
		Mono<Void> uni = session.acceptedUniStreams()
			.flatMap((in) -> session.openUniStream().flatMap((out) -> out.send(in.receive())))
			.then();
		return Mono.when(bidi, uni);
	}

	@Test
	void bidirectionalEchoOfOneMebibytePlus() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/echo")).block(TIMEOUT);
		byte[] payload = randomBytes(1024 * 1024 + 12345);
		WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
		Mono<byte[]> echoed = collect(stream.receive());
		stream.send(Flux.range(0, (payload.length + 16383) / 16384).map((i) -> slice(payload, i * 16384, 16384)))
			.block(TIMEOUT);
		assertThat(echoed.block(TIMEOUT)).isEqualTo(payload);
		session.close(0, "done").block(TIMEOUT);
	}

	@Test
	void unidirectionalEchoComesBackOnAServerOpenedStream() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/echo")).block(TIMEOUT);
		byte[] payload = randomBytes(300_000);
		WebTransportStream out = session.openUniStream().block(TIMEOUT);
		assertThat(out.canReceive()).isFalse();
		out.send(Flux.just(slice(payload, 0, 100_000), slice(payload, 100_000, 200_000))).block(TIMEOUT);
		WebTransportStream back = session.acceptUniStream(TIMEOUT);
		assertThat(back).isNotNull();
		assertThat(back.isLocallyOpened()).isFalse();
		assertThat(back.canSend()).isFalse();
		assertThat(collect(back.receive()).block(TIMEOUT)).isEqualTo(payload);
	}

	@Test
	void blockingHandlerEchoesWithInputAndOutputStreams() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.ofBlocking((session) -> {
			WebTransportStream stream;
			while ((stream = session.acceptBidiStream(Duration.ofSeconds(30))) != null) {
				try (InputStream in = stream.inputStream(); OutputStream out = stream.outputStream()) {
					in.transferTo(out);
				}
			}
		}));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/blocking")).block(TIMEOUT);
		for (int round = 0; round < 3; round++) {
			byte[] payload = randomBytes(200_000 + round);
			WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
			Mono<byte[]> echoed = collect(stream.receive());
			stream.send(Flux.just(payload)).block(TIMEOUT);
			assertThat(echoed.block(TIMEOUT)).isEqualTo(payload);
		}
	}

	@Test
	void blockingRequestResponseNeedsNoFlush() throws Exception {
		// The reply's bytes are held back for a FIN that may follow, but not while the
		// handler waits for the peer.
		this.endpoints = TestEndpoints.start(SessionAcceptor.ofBlocking((session) -> {
			WebTransportStream stream = session.acceptBidiStream(Duration.ofSeconds(30));
			try (InputStream in = stream.inputStream(); OutputStream out = stream.outputStream()) {
				byte[] request = in.readNBytes(4);
				while (request.length == 4) {
					out.write(new String(request).toUpperCase().getBytes());
					request = in.readNBytes(4);
				}
			}
		}));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/ask")).block(TIMEOUT);
		WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
		BlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();
		stream.receive().subscribe(replies::add);
		for (String word : new String[] { "ping", "pong", "done" }) {
			stream.write(word.getBytes()).block(TIMEOUT);
			byte[] reply = replies.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(reply).isNotNull();
			assertThat(new String(reply)).isEqualTo(word.toUpperCase());
		}
		stream.finish().block(TIMEOUT);
	}

	@Test
	void blockingWriteIsSentWithoutFlushWhenTheWriterGoesQuiet() throws Exception {
		CountDownLatch received = new CountDownLatch(1);
		this.endpoints = TestEndpoints.start(SessionAcceptor.ofBlocking((session) -> {
			WebTransportStream stream = session.openUniStream().block(Duration.ofSeconds(30));
			try (OutputStream out = stream.outputStream()) {
				out.write("hello".getBytes());
				// Neither flush nor close until the client has the bytes: the auto-flush
				// must send them.
				received.await(30, TimeUnit.SECONDS);
			}
		}));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/quiet")).block(TIMEOUT);
		WebTransportStream stream = session.acceptUniStream(TIMEOUT);
		byte[] first = stream.receive().doOnNext((chunk) -> received.countDown()).blockFirst(TIMEOUT);
		assertThat(new String(first)).isEqualTo("hello");
	}

	@Test
	void serverOpenedBidirectionalStreamReachesTheClient() throws Exception {
		byte[] greeting = "hello from the server".getBytes();
		this.endpoints = TestEndpoints.start(SessionAcceptor.of((session) -> session.openBidiStream()
			.flatMap((stream) -> stream.send(Flux.just(greeting)).then(collect(stream.receive())))
			.flatMap((reply) -> session.openUniStream().flatMap((uni) -> uni.send(Flux.just(reply))))
			.then(session.closeSignal().then())));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/push")).block(TIMEOUT);
		WebTransportStream pushed = session.acceptBidiStream(TIMEOUT);
		assertThat(pushed).isNotNull();
		assertThat(pushed.isLocallyOpened()).isFalse();
		assertThat(collect(pushed.receive()).block(TIMEOUT)).isEqualTo(greeting);
		pushed.send(Flux.just("reply".getBytes())).block(TIMEOUT);
		WebTransportStream uni = session.acceptUniStream(TIMEOUT);
		assertThat(uni).isNotNull();
		assertThat(new String(collect(uni.receive()).block(TIMEOUT))).isEqualTo("reply");
	}

	static Mono<byte[]> collect(Flux<byte[]> chunks) {
		return chunks.collect(ByteArrayOutputStream::new, (out, chunk) -> out.write(chunk, 0, chunk.length))
			.map(ByteArrayOutputStream::toByteArray);
	}

	static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

	static byte[] slice(byte[] source, int offset, int length) {
		int end = Math.min(source.length, offset + length);
		byte[] part = new byte[end - offset];
		System.arraycopy(source, offset, part, 0, part.length);
		return part;
	}

}
