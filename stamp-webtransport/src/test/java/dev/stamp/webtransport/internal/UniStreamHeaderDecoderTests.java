package dev.stamp.webtransport.internal;

import io.netty.handler.codec.quic.QuicStreamType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.stamp.webtransport.protocol.Http3ErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UniStreamHeaderDecoder} at the end of a peer's unidirectional
 * {@link EmbeddedQuicStream} whose type 0x54 Netty has already read, case by case
 * ({@link UniStreamHeaderDecoderFuzzTests} fuzzes it): the session id that follows
 * (draft-ietf-webtrans-http3 4.3) routes the stream to its session, to a wait for it, or
 * to STOP_SENDING with WT_SESSION_GONE; a stream that ends before it is malformed
 * (counted once, closed). A peer's unidirectional stream is only stopped, never reset:
 * this side cannot send on it. Nothing leaks.
 */
class UniStreamHeaderDecoderTests {

	private static final String SESSION_GONE = "stop:0x" + Long.toHexString(Http3ErrorCodes.WT_SESSION_GONE);

	@RegisterExtension
	final PeerStreamFixture fixture = new PeerStreamFixture();

	private EmbeddedQuicStream stream;

	@Test
	void streamGoesToItsSessionWithTheBytesAfterItsHeader() {
		open(2, true);
		SessionImpl session = this.fixture.session(0);
		this.fixture.write("00" + PeerStreamFixture.ascii("hi"));
		assertThat(this.stream.pipeline().get(UniStreamHeaderDecoder.class)).isNull();
		assertThat(this.stream.pipeline().last()).isInstanceOf(StreamHandler.class);
		RecordingReceiver receiver = RecordingReceiver.subscribe(PeerStreamFixture.acceptedUni(session));
		this.stream.fin();
		assertThat(receiver.text()).isEqualTo("hi");
		assertThat(receiver.completed()).isTrue();
		assertThat(this.fixture.stats().peerErrors().total()).isZero();
	}

	/** Session 4 in each varint length (QUIC does not require the shortest). */
	@ParameterizedTest(name = "[{0}]")
	@ValueSource(strings = { "04", "4004", "80000004", "c000000000000004" })
	void sessionIdSplitByteByByteIsReadWhenComplete(String sessionId) {
		open(2, true);
		SessionImpl session = this.fixture.session(4);
		for (int i = 0; i < sessionId.length() - 2; i += 2) {
			this.fixture.write(sessionId.substring(i, i + 2));
			assertThat(this.stream.pipeline().last()).as("after byte %d", i / 2)
				.isInstanceOf(UniStreamHeaderDecoder.class);
		}
		this.fixture.write(sessionId.substring(sessionId.length() - 2) + PeerStreamFixture.ascii("x"));
		this.fixture.write(PeerStreamFixture.ascii("yz"));
		assertThat(this.stream.pipeline().last()).isInstanceOf(StreamHandler.class);
		RecordingReceiver receiver = RecordingReceiver.subscribe(PeerStreamFixture.acceptedUni(session));
		assertThat(receiver.text()).isEqualTo("xyz");
	}

	@Test
	void headerAndFinWithoutPayloadIsAnEmptyStream() {
		open(2, true);
		SessionImpl session = this.fixture.session(0);
		this.fixture.write("00");
		this.stream.fin();
		RecordingReceiver receiver = RecordingReceiver.subscribe(PeerStreamFixture.acceptedUni(session));
		assertThat(receiver.completed()).isTrue();
		assertThat(receiver.text()).isEmpty();
		assertThat(this.fixture.stats().peerErrors().count(EngineStats.MALFORMED_STREAM_HEADER)).isZero();
	}

	@Test
	void streamForASessionStillToComeWaitsWithItsBytes() {
		open(2, true);
		this.fixture.write("08" + PeerStreamFixture.ascii("early"));
		assertThat(this.stream.pipeline().last()).isInstanceOf(PendingStreamHandler.class);
		assertThat(this.fixture.state().debugState()).containsEntry("pendingStreams", 1)
			.containsEntry("pendingBytes", 5);
		RecordingReceiver receiver = RecordingReceiver
			.subscribe(PeerStreamFixture.acceptedUni(this.fixture.session(8)));
		assertThat(receiver.text()).isEqualTo("early");
	}

	@Test
	void streamForASessionThatCannotBeIsStoppedWithSessionGone() {
		open(2, true);
		// Session ids are client-initiated bidirectional stream ids: 6 is none.
		this.fixture.write("06" + PeerStreamFixture.ascii("lost"));
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).containsExactly(SESSION_GONE);
		assertThat(this.fixture.stats().refusals(EngineStats.STREAM_UNKNOWN_SESSION)).isOne();
		assertThat(this.fixture.stats().peerErrors().count(EngineStats.MALFORMED_STREAM_HEADER))
			.as("the header was complete: refused, not malformed")
			.isZero();
	}

	@Test
	void serverRefusesAStreamForASessionOlderThanTheRequestsItHasSeen() {
		open(2, true);
		this.fixture.state().requestStreamOpened(8);
		this.fixture.state().requestStreamDone(8);
		// Request stream 8 came and went: a CONNECT on stream 4 would have come before
		// it.
		this.fixture.write("04");
		assertThat(this.stream.shutdowns).containsExactly(SESSION_GONE);
		assertThat(this.fixture.stats().refusals(EngineStats.STREAM_UNKNOWN_SESSION)).isOne();
	}

	@Test
	void clientHoldsAStreamForTheConnectItAwaitsAnAnswerTo() {
		open(3, false);
		this.fixture.state().requestStreamOpened(0);
		this.fixture.write("00" + PeerStreamFixture.ascii("soon"));
		assertThat(this.stream.pipeline().last()).isInstanceOf(PendingStreamHandler.class);
		assertThat(this.stream.shutdowns).isEmpty();
	}

	@Test
	void clientRefusesAStreamForASessionItDidNotAskFor() {
		open(3, false);
		this.fixture.write("00" + PeerStreamFixture.ascii("unasked"));
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).containsExactly(SESSION_GONE);
		assertThat(this.fixture.stats().refusals(EngineStats.STREAM_UNKNOWN_SESSION)).isOne();
	}

	/**
	 * Nothing; the first byte of a 2-byte, 4-byte and 8-byte session id; 7 of 8 bytes.
	 */
	@ParameterizedTest(name = "[{0}]")
	@ValueSource(strings = { "", "40", "80", "c0", "c0000000000000" })
	void finInsideTheHeaderIsAFrameErrorCountedOnce(String input) {
		open(2, true);
		for (int i = 0; i < input.length(); i += 2) {
			this.fixture.write(input.substring(i, i + 2));
		}
		assertThat(this.stream.isOpen()).isTrue();
		this.stream.fin();
		assertThat(this.stream.isOpen()).isFalse();
		// Neither STOP_SENDING (the peer has sent all it will) nor RESET_STREAM (this
		// side cannot send on the peer's unidirectional stream): closed and counted.
		assertThat(this.stream.shutdowns).isEmpty();
		this.stream.runPendingTasks();
		this.stream.checkException();
		assertThat(this.fixture.stats().peerErrors().count(EngineStats.MALFORMED_STREAM_HEADER)).isOne();
		assertThat(this.fixture.state().debugState()).containsEntry("pendingStreams", 0);
	}

	private void open(long streamId, boolean server) {
		this.stream = this.fixture.open(streamId, QuicStreamType.UNIDIRECTIONAL, server, EngineLimits.defaults());
		this.stream.pipeline().addLast(new UniStreamHeaderDecoder());
	}

}
