package dev.stamp.webtransport.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.client.WebTransportClientConnection;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.server.SessionDecision;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.RawConnect;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Session close codes and reasons, drain, and stream reset codes in both directions. */
class SessionLifecycleTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void rejectionStatusAndReasonReachTheClient() {
		this.endpoints = TestEndpoints.start((request) -> java.util.concurrent.CompletableFuture
			.completedFuture(dev.stamp.webtransport.server.SessionDecision.reject(403, "Not on the guest list")));
		org.assertj.core.api.Assertions.assertThatExceptionOfType(WebTransportSessionException.class)
			.isThrownBy(() -> this.endpoints.client.connect(this.endpoints.url("/party")).block(TIMEOUT))
			.withMessageEndingWith("/party with status 403: Not on the guest list");
		assertThat(this.endpoints.server.statistics().rejectedSessions()).isEqualTo(1);
	}

	@Test
	void requestHeadersKeepEveryValueOfARepeatedNameInOrder() throws Exception {
		CompletableFuture<Map<String, List<String>>> seen = new CompletableFuture<>();
		this.endpoints = TestEndpoints.start((request) -> {
			if (request.path().equals("/headers")) {
				seen.complete(request.headers());
			}
			return CompletableFuture.completedFuture(SessionDecision.reject(404, "only looking"));
		});
		WebTransportClientConnection connection = this.endpoints.client
			.openConnection(this.endpoints.server.localAddress(), "localhost");
		try {
			awaitExtendedConnect(connection);
			RawConnect connect = sendConnect(connection,
					(headers) -> headers.path("/headers")
						.add("x-repeated", "one")
						.add("x-single", "only")
						.add("x-repeated", "two"));
			assertThat(connect.status.get(30, TimeUnit.SECONDS)).isEqualTo("404");
			Map<String, List<String>> headers = seen.get(30, TimeUnit.SECONDS);
			assertThat(headers).containsEntry("x-repeated", List.of("one", "two"))
				.containsEntry("x-single", List.of("only"))
				.containsEntry(":path", List.of("/headers"))
				.containsEntry(":protocol", List.of("webtransport"));
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> headers.get("x-repeated").add("three"));
		}
		finally {
			connection.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "5" })
	void connectDeclaringAContentLengthIsAnswered400BeforeTheAcceptorSeesIt(String contentLength) throws Exception {
		CompletableFuture<String> seen = new CompletableFuture<>();
		this.endpoints = TestEndpoints.start((request) -> {
			seen.complete(request.path());
			return CompletableFuture.completedFuture(SessionDecision.reject(404, "only looking"));
		});
		WebTransportClientConnection connection = this.endpoints.client
			.openConnection(this.endpoints.server.localAddress(), "localhost");
		try {
			awaitExtendedConnect(connection);
			assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo("/ready");
			RawConnect connect = sendConnect(connection,
					(headers) -> headers.path("/sized").set("content-length", contentLength));
			assertThat(connect.status.get(30, TimeUnit.SECONDS)).isEqualTo("400");
			// The connection is unharmed: the next CONNECT on it reaches the acceptor.
			assertThatExceptionOfType(WebTransportSessionException.class)
				.isThrownBy(() -> connection.openSession("/after").block(TIMEOUT))
				.withMessageContaining("404");
		}
		finally {
			connection.close();
		}
		assertThat(this.endpoints.server.statistics().rejectedSessions()).isEqualTo(3);
	}

	/**
	 * Opens (and lets the server refuse) one session, so that the server's SETTINGS
	 * allowing extended CONNECT are in before a raw CONNECT is sent.
	 */
	private static void awaitExtendedConnect(WebTransportClientConnection connection) {
		connection.openSession("/ready").onErrorResume((ex) -> Mono.empty()).block(TIMEOUT);
	}

	/**
	 * Sends a WebTransport CONNECT on a new request stream, with the headers
	 * {@code request} adds to the pseudo-headers every one carries.
	 */
	private static RawConnect sendConnect(WebTransportClientConnection connection, UnaryOperator<Http3Headers> request)
			throws Exception {
		RawConnect connect = new RawConnect();
		QuicStreamChannel stream = Http3.newRequestStream(connection.quicChannel(), connect).get(5, TimeUnit.SECONDS);
		stream.writeAndFlush(new DefaultHttp3HeadersFrame(request.apply(new DefaultHttp3Headers().method("CONNECT")
			.protocol("webtransport")
			.scheme("https")
			.authority("localhost"))));
		return connect;
	}

	@Test
	void clientCloseCodeAndReasonReachTheServer() throws Exception {
		CompletableFuture<SessionCloseInfo> seen = new CompletableFuture<>();
		this.endpoints = TestEndpoints
			.start(SessionAcceptor.of((session) -> session.closeSignal().doOnNext(seen::complete).then()));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/close")).block(TIMEOUT);
		session.close(0xfffffffeL, "bye ✓ from the client").block(TIMEOUT);
		assertThat(seen.get(30, TimeUnit.SECONDS))
			.isEqualTo(new SessionCloseInfo(0xfffffffeL, "bye ✓ from the client", true));
		assertThat(session.awaitClose(TIMEOUT))
			.isEqualTo(new SessionCloseInfo(0xfffffffeL, "bye ✓ from the client", false));
		assertThat(session.isOpen()).isFalse();
	}

	@Test
	void serverCloseCodeAndReasonReachTheClient() {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of((session) -> session.close(7, "server says bye")));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/close")).block(TIMEOUT);
		assertThat(session.awaitClose(TIMEOUT)).isEqualTo(new SessionCloseInfo(7, "server says bye", true));
	}

	@Test
	void handlerCompletionClosesTheSessionWithCodeZero() {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of((session) -> Mono.empty()));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/short")).block(TIMEOUT);
		assertThat(session.awaitClose(TIMEOUT)).isEqualTo(new SessionCloseInfo(0, "", true));
	}

	@Test
	void failingHandlerClosesTheSessionWithAnErrorCode() {
		this.endpoints = TestEndpoints.start(SessionAcceptor.ofBlocking((session) -> {
			throw new IllegalStateException("boom");
		}));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/fail")).block(TIMEOUT);
		assertThat(session.awaitClose(TIMEOUT)).isEqualTo(new SessionCloseInfo(1, "internal error", true));
	}

	@Test
	void aHandlerEndedByTheClientResettingItsStreamIsCountedAsThePeersDoing() {
		this.endpoints = TestEndpoints.start(SessionAcceptor.ofBlocking((session) -> {
			// What a handler's read throws once the client reset the stream it reads.
			throw new WebTransportStreamException("Stream 4 closed", 7);
		}));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/abandoned")).block(TIMEOUT);
		assertThat(session.awaitClose(TIMEOUT)).isEqualTo(new SessionCloseInfo(1, "internal error", true));
		assertThat(this.endpoints.server.peerErrors().count("stream-abandoned")).isEqualTo(1);
	}

	@Test
	void drainIsSignalledBothWays() throws Exception {
		CompletableFuture<Boolean> serverSawDrain = new CompletableFuture<>();
		this.endpoints = TestEndpoints.start(SessionAcceptor.of((session) -> session.drainSignal()
			.doOnSuccess((v) -> serverSawDrain.complete(session.isDraining()))
			.then(session.drain())
			.then(session.closeSignal())
			.then()));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/drain")).block(TIMEOUT);
		session.drain().block(TIMEOUT);
		assertThat(serverSawDrain.get(30, TimeUnit.SECONDS)).isTrue();
		session.drainSignal().block(TIMEOUT);
		assertThat(session.isDraining()).isTrue();
		assertThat(session.isOpen()).isTrue();
	}

	@Test
	void streamResetCodesAreMappedBothWays() throws Exception {
		CompletableFuture<Throwable> serverSaw = new CompletableFuture<>();
		this.endpoints = TestEndpoints.start(SessionAcceptor.of((session) -> session.acceptedBidiStreams()
			.flatMap((stream) -> stream.receive()
				.then()
				.doOnError(serverSaw::complete)
				.onErrorResume((ex) -> Mono.fromRunnable(() -> stream.reset(4242)))) // answer
																						// with
																						// our
																						// own
																						// code
			.then()));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/reset")).block(TIMEOUT);
		WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
		stream.write("partial".getBytes()).block(TIMEOUT);
		stream.reset(0xfffffff0L);
		Throwable fromClient = serverSaw.get(30, TimeUnit.SECONDS);
		assertThat(fromClient).isInstanceOf(WebTransportStreamException.class);
		assertThat(((WebTransportStreamException) fromClient).code()).isEqualTo(0xfffffff0L);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> stream.receive().blockLast(TIMEOUT))
			.havingRootCause()
			.isInstanceOfSatisfying(WebTransportStreamException.class, (ex) -> assertThat(ex.code()).isEqualTo(4242));
	}

	@Test
	void closingTheSessionEndsItsStreams() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of((session) -> session.acceptedBidiStreams()
			.flatMap((stream) -> session.close(3, "closing with an open stream"))
			.then()));
		WebTransportSession session = this.endpoints.client.connect(this.endpoints.url("/x")).block(TIMEOUT);
		// Its header reaches the server at once.
		WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
		// at once
		assertThat(session.awaitClose(TIMEOUT).code()).isEqualTo(3);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> Flux.from(stream.receive()).blockLast(TIMEOUT));
		// A closed session ends its queues: the call returns at once, not after the
		// timeout.
		assertThat(session.acceptBidiStream(TIMEOUT)).isNull();
	}

}
