package dev.stamp.webtransport.interop;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.protocol.Dialect;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.server.WebTransportServer;
import dev.stamp.webtransport.server.WebTransportServerConfig;
import dev.stamp.webtransport.tls.CertificateHashTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tech.kwik.flupke.Http3Client;
import tech.kwik.flupke.webtransport.ClientSessionFactory;
import tech.kwik.flupke.webtransport.Session;
import tech.kwik.flupke.webtransport.WebTransportStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Interoperability: the Flupke 0.9.4 WebTransport client (Kwik QUIC stack) against this server. */
class FlupkeInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private WebTransportServer server;

	private final CompletableFuture<SessionCloseInfo> serverSawClose = new CompletableFuture<>();

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.shutdownGracefully(Duration.ofMillis(200));
		}
	}

	private final CompletableFuture<Dialect> dialect = new CompletableFuture<>();

	private Mono<Void> handler(WebTransportSession session) {
		this.dialect.complete(session.dialect());
		Mono<Void> echoBidi = session.acceptedBidiStreams().flatMap((stream) -> stream.send(stream.receive())).then();
		Mono<Void> echoUni = session.acceptedUniStreams()
			.flatMap((in) -> session.openUniStream().flatMap((out) -> out.send(in.receive())))
			.then();
		Mono<Void> push = session.openBidiStream()
			.flatMap((stream) -> stream.send(Flux.just("pushed by the server".getBytes(StandardCharsets.UTF_8))));
		Mono<Void> close = session.closeSignal().doOnNext(this.serverSawClose::complete).then();
		return Mono.when(echoBidi, echoUni, push, close);
	}

	private Session openFlupkeSession(CompletableFuture<String> serverPush, CompletableFuture<String> uniEcho)
			throws Exception {
		this.server = new WebTransportServer(
				WebTransportServerConfig.builder(SessionAcceptor.of(this::handler)).host("127.0.0.1").port(0).build())
			.start();
		URI uri = URI.create("https://localhost:" + this.server.localAddress().getPort() + "/interop");
		Http3Client http = (Http3Client) Http3Client.newBuilder()
			.trustManager(new CertificateHashTrustManager(List.of(this.server.developmentCertificate().sha256())))
			.maxAdditionalOpenPeerInitiatedBidirectionalStreams(10)
			.maxAdditionalOpenPeerInitiatedUnidirectionalStreams(10)
			.connectTimeout(TIMEOUT)
			.build();
		ClientSessionFactory factory = ClientSessionFactory.newBuilder().serverUri(uri).httpClient(http).build();
		Session session = factory.createSession(uri, (uni) -> uniEcho.complete(readAll(uni)),
				(bidi) -> serverPush.complete(readAll(bidi)));
		session.open();
		return session;
	}

	@Test
	void flupkeStreamsInBothDirectionsAndCloseWithCodeAndReason() throws Exception {
		CompletableFuture<String> serverPush = new CompletableFuture<>();
		CompletableFuture<String> uniEcho = new CompletableFuture<>();
		Session session = openFlupkeSession(serverPush, uniEcho);
		// The server pushes its stream once the session is registered. Waiting for it keeps this test about interop:
		// Flupke may open streams before it has the CONNECT answer, and a stream that sends more than the pending-bytes
		// bound before its session is known is refused (ProtocolRobustnessTests covers that path).
		assertThat(serverPush.get(30, TimeUnit.SECONDS)).isEqualTo("pushed by the server");

		WebTransportStream bidi = session.createBidirectionalStream();
		byte[] payload = new byte[200_000];
		new java.util.Random(1).nextBytes(payload);
		try (OutputStream out = bidi.getOutputStream()) {
			out.write(payload);
		}
		assertThat(bidi.getInputStream().readAllBytes()).isEqualTo(payload);

		WebTransportStream uni = session.createUnidirectionalStream();
		try (OutputStream out = uni.getOutputStream()) {
			out.write("uni from flupke".getBytes(StandardCharsets.UTF_8));
		}
		assertThat(uniEcho.get(30, TimeUnit.SECONDS)).isEqualTo("uni from flupke");

		assertThat(this.dialect.get(30, TimeUnit.SECONDS)).isEqualTo(Dialect.LATEST);
		session.close(5, "bye from flupke");
		assertThat(this.serverSawClose.get(30, TimeUnit.SECONDS))
			.isEqualTo(new SessionCloseInfo(5, "bye from flupke", true));
	}

	private static String readAll(WebTransportStream stream) {
		try (InputStream in = stream.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (java.io.IOException ex) {
			return "failed: " + ex;
		}
	}

}
