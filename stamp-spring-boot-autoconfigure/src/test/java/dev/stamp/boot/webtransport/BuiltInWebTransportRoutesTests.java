package dev.stamp.boot.webtransport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echo and health endpoints a user switches on with
 * {@code stamp.webtransport.echo-path} and {@code stamp.webtransport.health-path}, with
 * nothing else declared.
 */
class BuiltInWebTransportRoutesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Test
	void echoPathEchoesBidiStreamsUniStreamsAndDatagrams() {
		StampContextRunner.create().withPropertyValues("stamp.webtransport.echo-path=/echo").run((context) -> {
			try (WebTransportClient client = WebTransportListenerTests.client(context)) {
				WebTransportSession session = client.connect(WebTransportListenerTests.url(context, "/echo"))
					.block(TIMEOUT);
				WebTransportStream bidi = session.openBidiStream().block(TIMEOUT);
				Mono<byte[]> bidiEcho = WebTransportListenerTests.collect(bidi.receive());
				bidi.send(Flux.just("ping".getBytes(StandardCharsets.UTF_8))).block(TIMEOUT);
				assertThat(new String(bidiEcho.block(TIMEOUT), StandardCharsets.UTF_8)).isEqualTo("ping");

				Mono<byte[]> uniEcho = session.acceptedUniStreams()
					.next()
					.flatMap((in) -> WebTransportListenerTests.collect(in.receive()));
				WebTransportStream uni = session.openUniStream().block(TIMEOUT);
				uni.send(Flux.just("one way".getBytes(StandardCharsets.UTF_8))).block(TIMEOUT);
				assertThat(new String(uniEcho.block(TIMEOUT), StandardCharsets.UTF_8)).isEqualTo("one way");

				Mono<byte[]> datagram = session.datagrams().next();
				session.sendDatagram(new byte[] { 9 }).block(TIMEOUT);
				assertThat(datagram.block(TIMEOUT)).containsExactly(9);
			}
		});
	}

	@Test
	void echoPathEchoesStreamsAtOnceAndKeepsEchoingAfterEachOne() {
		StampContextRunner.create().withPropertyValues("stamp.webtransport.echo-path=/echo").run((context) -> {
			try (WebTransportClient client = WebTransportListenerTests.client(context)) {
				WebTransportSession session = client.connect(WebTransportListenerTests.url(context, "/echo"))
					.block(TIMEOUT);
				List<Mono<String>> echoes = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					WebTransportStream bidi = session.openBidiStream().block(TIMEOUT);
					echoes.add(WebTransportListenerTests.collect(bidi.receive())
						.map((bytes) -> new String(bytes, StandardCharsets.UTF_8)));
					bidi.send(Flux.just(("stream " + i).getBytes(StandardCharsets.UTF_8))).block(TIMEOUT);
				}
				for (int i = 0; i < 5; i++) {
					assertThat(echoes.get(i).block(TIMEOUT)).isEqualTo("stream " + i);
				}
				Mono<List<String>> uniEchoes = session.acceptedUniStreams()
					.take(3)
					.flatMap((in) -> WebTransportListenerTests.collect(in.receive()))
					.map((bytes) -> new String(bytes, StandardCharsets.UTF_8))
					.collectList();
				for (int i = 0; i < 3; i++) {
					session.openUniStream().flatMap((uni) -> uni.send(Flux.just(new byte[] { 'u' }))).block(TIMEOUT);
				}
				assertThat(uniEchoes.block(TIMEOUT)).containsExactly("u", "u", "u");
				Mono<List<Byte>> datagrams = session.datagrams().take(3).map((bytes) -> bytes[0]).collectList().cache();
				datagrams.subscribe();
				for (byte i = 0; i < 3; i++) {
					session.sendDatagram(new byte[] { i }).block(TIMEOUT);
				}
				assertThat(datagrams.block(TIMEOUT)).containsExactlyInAnyOrder((byte) 0, (byte) 1, (byte) 2);
				WebTransportSessions sessions = context.getBean(WebTransportSessions.class);
				assertThat(sessions.count()).isOne();
				session.close(0, "done").block(TIMEOUT);
				Awaitility.await().atMost(TIMEOUT).until(() -> sessions.count() == 0);
			}
		});
	}

	@Test
	void healthPathSendsAStatusDatagramAndCloses() {
		StampContextRunner.create()
			.withPropertyValues("stamp.webtransport.health-path=/health", "stamp.webtransport.echo-path=/echo")
			.run((context) -> {
				try (WebTransportClient client = WebTransportListenerTests.client(context)) {
					WebTransportSession session = client.connect(WebTransportListenerTests.url(context, "/health"))
						.block(TIMEOUT);
					byte[] status = session.receiveDatagram(TIMEOUT);
					assertThat(new String(status, StandardCharsets.UTF_8))
						.isEqualTo("{\"status\":\"UP\",\"listeners\":{\"webtransport\":\"UP\"}}");
					SessionCloseInfo closed = session.closeSignal().block(TIMEOUT);
					assertThat(closed.reason()).isEqualTo("health reported");
				}
			});
	}

	@Test
	void withoutThePropertiesThereIsNoBuiltInRoute() {
		StampContextRunner.create()
			.run((context) -> assertThat(context).doesNotHaveBean(WebTransportEchoRoute.class)
				.doesNotHaveBean(WebTransportHealthRoute.class));
	}

}
