package dev.stamp.webtransport.engine;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClientConnection;
import dev.stamp.webtransport.internal.EngineStats;
import dev.stamp.webtransport.internal.QuicTransport;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.LogCapture;
import dev.stamp.webtransport.support.RawConnect;
import dev.stamp.webtransport.support.RawStream;
import dev.stamp.webtransport.support.TestEndpoints;
import dev.stamp.webtransport.tls.CertificateHashTrustManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Peer-caused errors are counted by kind and logged once per burst, never a stack trace
 * per event.
 */
class PeerErrorTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@ParameterizedTest(name = "{0} event loop(s)")
	@ValueSource(ints = { 1, 2 })
	void garbageFloodOnTheUdpPortIsCountedAndLoggedOncePerBurst(int eventLoops) throws Exception {
		// One event loop has Netty's QUIC codec alone on the socket; more put its
		// dispatcher in front.
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
			assertThat(echoesDuringFlood).isPositive();
			assertEcho(session, "after");
			// Garbage still queued in the socket may be counted meanwhile: each view is
			// checked on its own.
			assertThat(this.endpoints.server.peerErrors().count(EngineStats.QUIC_PACKET_MALFORMED)).isPositive();
			assertThat(this.endpoints.server.statistics().peerErrors(EngineStats.QUIC_PACKET_MALFORMED)).isPositive();
			assertThat(this.endpoints.server.debugState().get("peerErrors"))
				.asInstanceOf(InstanceOfAssertFactories.map(String.class, Long.class))
				.containsKey(EngineStats.QUIC_PACKET_MALFORMED);
			assertBoundedAndWithoutStackTraces(log);
		}
	}

	@Test
	void failedTlsHandshakesAreCountedAndLoggedOncePerBurst() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		QuicSslContext noH3 = QuicSslContextBuilder.forClient()
			.trustManager(
					new CertificateHashTrustManager(List.of(this.endpoints.server.developmentCertificate().sha256())))
			.applicationProtocols("not-h3")
			.build();
		EventLoopGroup group = QuicTransport.newGroup(1, "test-tls-client");
		List<Channel> sockets = new ArrayList<>();
		try (LogCapture log = LogCapture.start()) {
			for (int i = 0; i < 5; i++) {
				Channel udp = QuicTransport.newBootstrap(group, false)
					.handler(Http3.newQuicClientCodecBuilder().sslContext(noH3).build())
					.bind(0)
					.sync()
					.channel();
				sockets.add(udp);
				// The server knows no such application protocol: the handshake fails with
				// a TLS alert.
				QuicChannel.newBootstrap(udp)
					.handler(new ChannelInboundHandlerAdapter())
					.remoteAddress(this.endpoints.server.localAddress())
					.connect();
			}
			awaitPeerErrors(EngineStats.TLS_HANDSHAKE_FAILED, 5);
			assertBoundedAndWithoutStackTraces(log);
		}
		finally {
			sockets.forEach(Channel::close);
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
	}

	@Test
	void truncatedStreamHeadersAreResetWithFrameErrorAndLoggedOncePerBurst() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportClientConnection connection = connection();
		WebTransportSession session = connection.openSession("/echo").block(TIMEOUT);
		try (LogCapture log = LogCapture.start()) {
			List<RawStream> streams = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				RawStream raw = RawStream.open(connection.quicChannel(), QuicStreamType.BIDIRECTIONAL);
				raw.writeAndFin(0x40, 0x41, 0x80, 0x00); // a 4-byte session id cut after
															// 2 bytes
				streams.add(raw);
			}
			for (RawStream raw : streams) {
				assertResetWith(raw, Http3ErrorCodes.H3_FRAME_ERROR);
			}
			assertThat(this.endpoints.server.peerErrors().count(EngineStats.MALFORMED_STREAM_HEADER)).isEqualTo(20);
			assertBoundedAndWithoutStackTraces(log);
		}
		assertEcho(session, "still serving");
	}

	@Test
	void datagramsWithABadSessionPrefixAreDroppedAndCounted() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportClientConnection connection = connection();
		WebTransportSession session = connection.openSession("/echo").block(TIMEOUT);
		try (LogCapture log = LogCapture.start()) {
			for (int i = 0; i < 20; i++) {
				// A quarter stream id cut after its first byte, and one beyond the
				// largest stream id.
				connection.quicChannel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 0x40 }));
				connection.quicChannel()
					.writeAndFlush(Unpooled.wrappedBuffer(HexFormat.of().parseHex("ffffffffffffffff2a")))
					.sync();
			}
			// Datagrams may be lost: at least one arrives, none is counted twice.
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (this.endpoints.server.peerErrors().count(EngineStats.DATAGRAM_MALFORMED) == 0
					&& System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
			assertThat(this.endpoints.server.peerErrors().count(EngineStats.DATAGRAM_MALFORMED)).isBetween(1L, 40L);
			assertBoundedAndWithoutStackTraces(log);
		}
		assertEcho(session, "still serving");
	}

	@Test
	void malformedCapsuleResetsTheConnectStreamWithMessageError() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportClientConnection connection = connection();
		connection.openSession("/echo").block(TIMEOUT); // the server's SETTINGS (extended
														// CONNECT) have arrived
		RawConnect connect = new RawConnect();
		QuicStreamChannel stream = Http3.newRequestStream(connection.quicChannel(), connect).get(5, TimeUnit.SECONDS);
		stream.writeAndFlush(new DefaultHttp3HeadersFrame(new DefaultHttp3Headers().method("CONNECT")
			.protocol("webtransport")
			.scheme("https")
			.authority("localhost")
			.path("/echo")));
		assertThat(connect.status.get(30, TimeUnit.SECONDS)).isEqualTo("200");
		try (LogCapture log = LogCapture.start()) {
			// DRAIN_WEBTRANSPORT_SESSION (type 0x78ae, here an 8-byte varint) must be
			// empty: this one carries a byte.
			stream.writeAndFlush(new DefaultHttp3DataFrame(
					Unpooled.wrappedBuffer(new byte[] { (byte) 0xc0, 0, 0, 0, 0, 0, 0x78, (byte) 0xae, 0x01, 0x00 })));
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> connect.reset.get(30, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(QuicStreamResetException.class,
						(ex) -> assertThat(ex.applicationProtocolCode()).isEqualTo(Http3ErrorCodes.H3_MESSAGE_ERROR));
			assertThat(this.endpoints.server.peerErrors().count(EngineStats.MALFORMED_CAPSULE)).isEqualTo(1);
			assertBoundedAndWithoutStackTraces(log);
		}
	}

	@ParameterizedTest(name = "{1}")
	@CsvSource({ "00012a, h3-frame-unexpected", "0104 0000ff24, qpack-decompression-failed",
			"0103 0000ff, h3-decoder-failure" })
	void http3ErrorOnARequestStreamClosesTheConnectionWithItsCodeAndIsCounted(String frames, String kind)
			throws Exception {
		// DATA before HEADERS is H3_FRAME_UNEXPECTED (RFC 9114, 4.1); static table index
		// 99 does not exist: QPACK_DECOMPRESSION_FAILED (RFC 9204, 2.2). A field section
		// that ends inside an index should be the same, but Netty 4.2.17's QPACK decoder
		// fails an assertion on it, which DecoderFailureGuard turns into a peer error.
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportClientConnection connection = connection();
		try (LogCapture log = LogCapture.start()) {
			RawStream raw = RawStream.open(connection.quicChannel(), QuicStreamType.BIDIRECTIONAL);
			raw.writeAndFin(HexFormat.of().parseHex(frames.replace(" ", "")));
			assertThat(connection.quicChannel().closeFuture().await(30, TimeUnit.SECONDS)).isTrue();
			awaitPeerErrors(kind, 1);
			assertBoundedAndWithoutStackTraces(log);
		}
	}

	@Test
	void controlStreamErrorClosesTheConnectionWithItsCodeAndIsCounted() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportClientConnection connection = connection();
		connection.openSession("/echo").block(TIMEOUT);
		try (LogCapture log = LogCapture.start()) {
			QuicStreamChannel control = Http3.getLocalControlStream(connection.quicChannel());
			// A DATA frame on the control stream: H3_FRAME_UNEXPECTED (RFC 9114, 7.2.1).
			// Written from the first handler, past Netty's outbound validation, which
			// would refuse it.
			control.pipeline().firstContext().writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 0x00, 0x00 })).sync();
			assertThat(connection.quicChannel().closeFuture().await(30, TimeUnit.SECONDS)).isTrue();
			awaitPeerErrors("h3-frame-unexpected", 1);
			assertBoundedAndWithoutStackTraces(log);
		}
	}

	@Test
	void qpackEncoderStreamErrorClosesTheConnectionWithItsCodeAndIsCounted() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportClientConnection connection = connection();
		connection.openSession("/echo").block(TIMEOUT);
		try (LogCapture log = LogCapture.start()) {
			RawStream raw = RawStream.open(connection.quicChannel(), QuicStreamType.UNIDIRECTIONAL);
			// A QPACK encoder stream (0x02) setting a dynamic table capacity of 4096 over
			// the server's maximum, 0:
			// QPACK_ENCODER_STREAM_ERROR (RFC 9204, 4.3.1).
			raw.write(0x02, 0x3f, 0xe1, 0x1f);
			assertThat(connection.quicChannel().closeFuture().await(30, TimeUnit.SECONDS)).isTrue();
			awaitPeerErrors("qpack-encoder-stream-error", 1);
			assertBoundedAndWithoutStackTraces(log);
		}
	}

	@Test
	void peerClosingWithAnErrorCodeIsCounted() throws Exception {
		this.endpoints = TestEndpoints.start(SessionAcceptor.of(StreamEchoTests::reactiveEcho));
		WebTransportClientConnection connection = connection();
		connection.openSession("/echo").block(TIMEOUT);
		connection.quicChannel().close(true, Http3ErrorCodes.H3_INTERNAL_ERROR, Unpooled.EMPTY_BUFFER).sync();
		awaitPeerErrors(EngineStats.PEER_CLOSED_WITH_ERROR, 1);
		WebTransportClientConnection clean = connection();
		clean.openSession("/echo").block(TIMEOUT);
		clean.close(); // H3_NO_ERROR
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.endpoints.server.statistics().connections().activeConnections() > 0
				&& System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(this.endpoints.server.statistics().connections().activeConnections()).isZero();
		assertThat(this.endpoints.server.peerErrors().count(EngineStats.PEER_CLOSED_WITH_ERROR)).isEqualTo(1);
	}

	private WebTransportClientConnection connection() {
		return this.endpoints.client.openConnection(this.endpoints.server.localAddress(), "localhost");
	}

	private void awaitPeerErrors(String kind, long expected) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (this.endpoints.server.peerErrors().count(kind) < expected && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(this.endpoints.server.peerErrors().counts()).containsEntry(kind, expected);
	}

	private static void assertResetWith(RawStream stream, long http3Code) {
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> stream.result().get(30, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(QuicStreamResetException.class,
					(ex) -> assertThat(ex.applicationProtocolCode()).isEqualTo(http3Code));
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

	/**
	 * Random datagrams, a third of them shaped like QUIC version 1 long-header packets.
	 */
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
