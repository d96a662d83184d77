package dev.stamp.webtransport.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.client.WebTransportClientConnection;
import dev.stamp.webtransport.internal.EngineStats;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.server.SessionDecision;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.RawStream;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What peers can do wrong or early, with raw QUIC streams next to the WebTransport
 * client: streams and datagrams before their session, unknown sessions, garbage,
 * truncated varints, unknown stream types; and the regression test for the 0x41
 * interception.
 */
class ProtocolRobustnessTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static Mono<Void> echo(WebTransportSession session) {
		return StreamEchoTests.reactiveEcho(session);
	}

	private WebTransportClientConnection connection() {
		return this.endpoints.client.openConnection(this.endpoints.server.localAddress(), "localhost");
	}

	@Test
	void bidiStreamHeaderSplitAcrossWritesIsInterceptedBeforeHttp3() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(ProtocolRobustnessTests::echo));
		WebTransportClientConnection connection = connection();
		WebTransportSession session = connection.openSession("/echo").block(TIMEOUT);
		assertThat(session.id()).isZero();
		// 0x41 (a two-byte varint: 0x40 0x41), then a two-byte varint session id (0x4000
		// = 0), every byte in its own write, then the payload in pieces.
		RawStream raw = RawStream.open(connection.quicChannel(), QuicStreamType.BIDIRECTIONAL);
		raw.write(0x40)
			.write(0x41)
			.write(0x40)
			.write(0x00)
			.write("hello ".getBytes())
			.writeAndFin("interception".getBytes());
		assertThat(new String(raw.result().get(30, TimeUnit.SECONDS))).isEqualTo("hello interception");
		// the same in one write, with the 1-byte session id
		RawStream oneWrite = RawStream.open(connection.quicChannel(), QuicStreamType.BIDIRECTIONAL);
		oneWrite.writeAndFin(new byte[] { 0x40, 0x41, 0x00, 'o', 'k' });
		assertThat(new String(oneWrite.result().get(30, TimeUnit.SECONDS))).isEqualTo("ok");
		assertThat(this.endpoints.server.statistics().rejectedSessions()).isZero();
	}

	@Test
	void streamsAndDatagramsBeforeTheirSessionAreBufferedThenDelivered() throws Exception {
		CompletableFuture<SessionDecision> decision = new CompletableFuture<>();
		CompletableFuture<byte[]> datagram = new CompletableFuture<>();
		this.endpoints = TestEndpoints.start((request) -> decision,
				(c) -> c.pendingLimits(4, 64 * 1024, 8, Duration.ofSeconds(10)));
		WebTransportClientConnection connection = connection();
		Mono<WebTransportSession> opening = connection.openSession("/early").cache();
		opening.subscribe();
		awaitPendingAdmission();
		RawStream early = RawStream.open(connection.quicChannel(), QuicStreamType.BIDIRECTIONAL);
		early.writeAndFin(new byte[] { 0x40, 0x41, 0x00, 'e', 'a', 'r', 'l', 'y' });
		RawStream earlyUni = RawStream.open(connection.quicChannel(), QuicStreamType.UNIDIRECTIONAL);
		earlyUni.writeAndFin(new byte[] { 0x40, 0x54, 0x00, 'u', 'n', 'i' });
		connection.quicChannel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 0x00, 'd', 'g' })).sync();
		// The session stays undecided until the server holds all three for it: what is
		// delivered below went through the early buffer.
		awaitPendingForUndecidedSession(2, 1);
		decision.complete(SessionDecision
			.accept((session) -> Mono.when(echo(session), session.datagrams().next().doOnNext(datagram::complete))));
		WebTransportSession session = opening.block(TIMEOUT);
		assertThat(new String(early.result().get(30, TimeUnit.SECONDS))).isEqualTo("early");
		assertThat(new String(StreamEchoTests.collect(session.acceptUniStream(TIMEOUT).receive()).block(TIMEOUT)))
			.isEqualTo("uni");
		assertThat(datagram.get(30, TimeUnit.SECONDS)).containsExactly('d', 'g');
	}

	@Test
	void streamsLargerThanThePendingBudgetWaitForTheirSessionInsteadOfBeingRefused() throws Exception {
		CompletableFuture<SessionDecision> decision = new CompletableFuture<>();
		this.endpoints = TestEndpoints.start((request) -> decision,
				(c) -> c.pendingLimits(4, 16 * 1024, 8, Duration.ofSeconds(10)));
		WebTransportClientConnection connection = connection();
		Mono<WebTransportSession> opening = connection.openSession("/early").cache();
		opening.subscribe();
		awaitPendingAdmission();
		// Like an optimistic client: two streams send their header, then 300 KB each, far
		// over the 16 KB budget, before the session is accepted. The server stops reading
		// them (QUIC flow control holds the bytes) and reads on once the session exists.
		// Regression: bytes read while the stream was being handed over were dropped.
		byte[] payload = new byte[300_000];
		new Random(3).nextBytes(payload);
		RawStream[] streams = new RawStream[2];
		for (int i = 0; i < streams.length; i++) {
			streams[i] = RawStream.open(connection.quicChannel(), QuicStreamType.BIDIRECTIONAL);
			streams[i].write(new byte[] { 0x40, 0x41, 0x00 });
			streams[i].writeAsyncAndFin(payload);
		}
		awaitPendingForUndecidedSession(2, 0);
		assertThat(this.endpoints.server.statistics().refusals(EngineStats.PENDING_STREAM_OVERFLOW)).isZero();
		decision.complete(SessionDecision.accept(ProtocolRobustnessTests::echo));
		opening.block(TIMEOUT);
		for (RawStream stream : streams) {
			byte[] echoed = stream.result().get(30, TimeUnit.SECONDS);
			assertThat(echoed).hasSameSizeAs(payload);
			assertThat(java.util.Arrays.equals(echoed, payload)).as("echo byte for byte").isTrue();
		}
	}

	@Test
	void pendingStreamsBeyondTheBoundAreRefusedAndExpiredOnesReset() throws Exception {
		CompletableFuture<SessionDecision> decision = new CompletableFuture<>();
		this.endpoints = TestEndpoints.start((request) -> decision,
				(c) -> c.pendingLimits(2, 64 * 1024, 8, Duration.ofMillis(500)));
		WebTransportClientConnection connection = connection();
		connection.openSession("/never").subscribe(null, (error) -> {
		});
		awaitPendingAdmission();
		RawStream[] streams = new RawStream[3];
		for (int i = 0; i < 3; i++) {
			streams[i] = RawStream.open(connection.quicChannel(), QuicStreamType.BIDIRECTIONAL);
			streams[i].write(new byte[] { 0x40, 0x41, 0x00, (byte) i });
		}
		for (RawStream stream : streams) {
			assertResetWith(stream, Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);
		}
		assertThat(this.endpoints.server.statistics().refusals(EngineStats.PENDING_STREAM_OVERFLOW)).isEqualTo(1);
		assertThat(this.endpoints.server.statistics().refusals(EngineStats.PENDING_STREAM_EXPIRED)).isEqualTo(2);
		connection.quicChannel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 0x00, 'x' })).sync();
		awaitRefusals(EngineStats.PENDING_DATAGRAM_EXPIRED, 1);
	}

	@Test
	void streamsAndDatagramsForUnknownOrClosedSessionsAreRefused() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(ProtocolRobustnessTests::echo));
		WebTransportClientConnection connection = connection();
		WebTransportSession session = connection.openSession("/s").block(TIMEOUT);
		session.close(0, "").block(TIMEOUT);
		session.awaitClose(TIMEOUT);
		RawStream forClosed = RawStream.open(connection.quicChannel(), QuicStreamType.BIDIRECTIONAL);
		forClosed.write(new byte[] { 0x40, 0x41, 0x00, 1, 2, 3 });
		assertResetWith(forClosed, Http3ErrorCodes.WT_SESSION_GONE);
		RawStream notASessionId = RawStream.open(connection.quicChannel(), QuicStreamType.UNIDIRECTIONAL);
		notASessionId.write(new byte[] { 0x40, 0x54, 0x02, 1 }); // 2 is not a client
																	// bidirectional
																	// stream id
		awaitRefusals(EngineStats.STREAM_UNKNOWN_SESSION, 2);
		connection.quicChannel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 0x00, 'x' })).sync();
		awaitRefusals(EngineStats.DATAGRAM_UNKNOWN_SESSION, 1);
		connection.quicChannel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 0x40 })).sync(); // truncated
																									// prefix
		awaitPeerErrors(EngineStats.DATAGRAM_MALFORMED, 1);
		assertThat(connection.openSession("/still-works").block(TIMEOUT).isOpen()).isTrue();
		// Refused after a complete header: not malformed.
		assertThat(this.endpoints.server.peerErrors().count(EngineStats.MALFORMED_STREAM_HEADER)).isZero();
	}

	@Test
	void truncatedStreamHeadersAreRefusedWithoutHarmingTheConnection() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(ProtocolRobustnessTests::echo));
		WebTransportClientConnection connection = connection();
		WebTransportSession session = connection.openSession("/s").block(TIMEOUT);
		RawStream bidi = RawStream.open(connection.quicChannel(), QuicStreamType.BIDIRECTIONAL);
		bidi.writeAndFin(0x40, 0x41, 0x80, 0x00); // 4-byte session id cut after 2 bytes
		RawStream uni = RawStream.open(connection.quicChannel(), QuicStreamType.UNIDIRECTIONAL);
		uni.writeAndFin(0x40, 0x54, 0xc0, 0x00); // 8-byte session id cut after 1 byte
		awaitPeerErrors(EngineStats.MALFORMED_STREAM_HEADER, 2);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> bidi.result().get(30, TimeUnit.SECONDS));
		assertEchoStillWorks(session);
	}

	@Test
	void unknownUnidirectionalStreamTypesAreIgnored() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(ProtocolRobustnessTests::echo));
		WebTransportClientConnection connection = connection();
		WebTransportSession session = connection.openSession("/s").block(TIMEOUT);
		RawStream grease = RawStream.open(connection.quicChannel(), QuicStreamType.UNIDIRECTIONAL);
		grease.writeAndFin(0x21, 1, 2, 3); // reserved (grease) stream type 0x21
		RawStream other = RawStream.open(connection.quicChannel(), QuicStreamType.UNIDIRECTIONAL);
		other.write(0x7f, 0xff, 9, 9); // type 0x3fff
		awaitRefusals(EngineStats.UNKNOWN_STREAM_TYPE, 2);
		assertEchoStillWorks(session);
	}

	@Test
	void garbageOnARequestStreamDoesNotHurtOtherConnections() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(ProtocolRobustnessTests::echo));
		WebTransportClientConnection victim = connection();
		byte[] garbage = new byte[4096];
		new Random(7).nextBytes(garbage);
		garbage[0] = 0x21; // not 0x41: goes to the HTTP/3 codec as a (reserved) frame
							// type
		RawStream raw = RawStream.open(victim.quicChannel(), QuicStreamType.BIDIRECTIONAL);
		raw.writeAndFin(garbage);
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> raw.result().get(30, TimeUnit.SECONDS));
		WebTransportSession healthy = this.endpoints.client.connect(this.endpoints.url("/echo")).block(TIMEOUT);
		assertEchoStillWorks(healthy);
	}

	private void assertEchoStillWorks(WebTransportSession session) {
		var stream = session.openBidiStream().block(TIMEOUT);
		Mono<byte[]> echoed = StreamEchoTests.collect(stream.receive());
		stream.send(Mono.just("still alive".getBytes())).block(TIMEOUT);
		assertThat(new String(echoed.block(TIMEOUT))).isEqualTo("still alive");
	}

	private static void assertResetWith(RawStream stream, long http3Code) {
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> stream.result().get(30, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(QuicStreamResetException.class,
					(ex) -> assertThat(ex.applicationProtocolCode()).isEqualTo(http3Code));
	}

	private void awaitPendingAdmission() throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.endpoints.server.statistics().activeSessions() == 0 && System.nanoTime() < deadline) {
			Thread.sleep(5); // the CONNECT reserved its slot: the acceptor is deciding
		}
		assertThat(this.endpoints.server.statistics().activeSessions()).isEqualTo(1);
	}

	/**
	 * Waits until the only connection holds this many streams and datagrams for a session
	 * that does not exist yet.
	 */
	private void awaitPendingForUndecidedSession(int streams, int datagrams) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!holdsPending(streams, datagrams) && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(connectionState()).as("early streams and datagrams held for the undecided session")
			.containsEntry("pendingStreams", streams)
			.containsEntry("pendingDatagrams", datagrams);
		assertThat(this.endpoints.server.statistics().acceptedSessions()).as("session still undecided").isZero();
	}

	private boolean holdsPending(int streams, int datagrams) {
		Map<String, Object> state = connectionState();
		return Integer.valueOf(streams).equals(state.get("pendingStreams"))
				&& Integer.valueOf(datagrams).equals(state.get("pendingDatagrams"));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> connectionState() {
		List<Map<String, Object>> connections = (List<Map<String, Object>>) this.endpoints.server.debugState()
			.get("connections");
		assertThat(connections).hasSize(1);
		return connections.get(0);
	}

	private void awaitPeerErrors(String kind, long expected) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.endpoints.server.peerErrors().count(kind) < expected && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(this.endpoints.server.peerErrors().count(kind)).isEqualTo(expected);
		assertThat(this.endpoints.server.statistics().peerErrors(kind)).isEqualTo(expected);
	}

	private void awaitRefusals(String reason, long expected) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.endpoints.server.statistics().refusals(reason) < expected && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(this.endpoints.server.statistics().refusals(reason)).isEqualTo(expected);
	}

}
