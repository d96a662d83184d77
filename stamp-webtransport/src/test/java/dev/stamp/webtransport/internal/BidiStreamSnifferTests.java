package dev.stamp.webtransport.internal;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.stamp.webtransport.protocol.Http3ErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BidiStreamSniffer} first in the pipeline of a peer's bidirectional
 * {@link EmbeddedQuicStream}, in front of a stand-in for Netty's HTTP/3 request codec,
 * case by case ({@link BidiStreamSnifferFuzzTests} fuzzes it): a WebTransport stream
 * (signal 0x41 and session id, draft-ietf-webtrans-http3 4.2) leaves HTTP/3 for its
 * session with the bytes after its header, an HTTP/3 request reaches the codec byte for
 * byte on a server and is refused on a client (RFC 9114 6.1: servers open no request
 * streams), and a stream that ends inside its header is malformed. Nothing leaks.
 */
class BidiStreamSnifferTests {

	/** The signal 0x41 as the 2-byte varint it takes. */
	private static final String SIGNAL = "4041";

	private static final String FRAME_ERROR = "0x" + Integer.toHexString(Http3ErrorCodes.H3_FRAME_ERROR);

	private static final String SESSION_GONE = "0x" + Long.toHexString(Http3ErrorCodes.WT_SESSION_GONE);

	private static final String STREAM_CREATION_ERROR = "0x"
			+ Integer.toHexString(Http3ErrorCodes.H3_STREAM_CREATION_ERROR);

	@RegisterExtension
	final PeerStreamFixture fixture = new PeerStreamFixture();

	private final RequestCodecStandIn codec = new RequestCodecStandIn();

	private EmbeddedQuicStream stream;

	@Test
	void webTransportStreamGoesToItsSessionWithTheBytesAfterItsHeader() {
		open(8, true);
		SessionImpl session = this.fixture.session(0);
		this.fixture.write(SIGNAL + "00" + PeerStreamFixture.ascii("hi"));
		assertThat(this.stream.pipeline().get(BidiStreamSniffer.class)).isNull();
		assertThat(this.stream.pipeline().get(RequestCodecStandIn.class)).as("HTTP/3 handlers removed").isNull();
		assertThat(this.stream.pipeline().last()).isInstanceOf(StreamHandler.class);
		assertThat(this.stream.config().isAllowHalfClosure()).as("FIN ends one direction only").isTrue();
		RecordingReceiver receiver = RecordingReceiver.subscribe(PeerStreamFixture.acceptedBidi(session));
		this.stream.fin();
		assertThat(receiver.text()).isEqualTo("hi");
		assertThat(receiver.completed()).isTrue();
		assertThat(this.codec.received).isEmpty();
		assertThat(this.fixture.stats().peerErrors().total()).isZero();
	}

	@Test
	void headerSplitByteByByteIsReadWhenComplete() {
		open(8, true);
		SessionImpl session = this.fixture.session(0x100);
		String header = SIGNAL + "4100"; // session id 0x100 as a 2-byte varint
		for (int i = 0; i < header.length() - 2; i += 2) {
			this.fixture.write(header.substring(i, i + 2));
			assertThat(this.stream.pipeline().first()).as("after byte %d", i / 2).isInstanceOf(BidiStreamSniffer.class);
		}
		this.fixture.write(header.substring(header.length() - 2));
		assertThat(this.stream.pipeline().last()).isInstanceOf(StreamHandler.class);
		this.fixture.write(PeerStreamFixture.ascii("a"));
		this.fixture.write(PeerStreamFixture.ascii("b"));
		RecordingReceiver receiver = RecordingReceiver.subscribe(PeerStreamFixture.acceptedBidi(session));
		assertThat(receiver.text()).isEqualTo("ab");
		assertThat(this.codec.received).isEmpty();
	}

	@Test
	void streamForASessionStillToComeWaitsWithItsBytes() {
		open(8, true);
		this.fixture.write(SIGNAL + "04" + PeerStreamFixture.ascii("early"));
		assertThat(this.stream.pipeline().last()).isInstanceOf(PendingStreamHandler.class);
		assertThat(this.fixture.state().debugState()).containsEntry("pendingStreams", 1)
			.containsEntry("pendingBytes", 5);
		SessionImpl session = this.fixture.session(4);
		RecordingReceiver receiver = RecordingReceiver.subscribe(PeerStreamFixture.acceptedBidi(session));
		assertThat(receiver.text()).isEqualTo("early");
		assertThat(this.codec.received).isEmpty();
	}

	@Test
	void streamForASessionThatCannotBeIsResetWithSessionGone() {
		open(8, true);
		// Session ids are client-initiated bidirectional stream ids: 2 is none.
		this.fixture.write(SIGNAL + "02" + PeerStreamFixture.ascii("lost"));
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).containsExactly("reset:" + SESSION_GONE, "stop:" + SESSION_GONE);
		assertThat(this.fixture.stats().refusals(EngineStats.STREAM_UNKNOWN_SESSION)).isOne();
		assertThat(this.codec.received).isEmpty();
		this.stream.fin();
		assertThat(this.fixture.stats().peerErrors().count(EngineStats.MALFORMED_STREAM_HEADER))
			.as("the header was complete: refused, not malformed")
			.isZero();
	}

	@Test
	void http3RequestReachesTheCodecByteForByte() {
		open(8, true);
		String headersFrame = "0103" + "000000"; // HEADERS, length 3
		this.fixture.write(headersFrame);
		assertThat(this.stream.pipeline().get(BidiStreamSniffer.class)).isNull();
		assertThat(String.join("", this.codec.received)).isEqualTo(headersFrame);
		assertThat(this.fixture.state().nextUnseenRequestStreamId()).as("the request stream is seen").isEqualTo(12);
		assertThat(this.fixture.state().debugState()).containsEntry("connectsInProgress", 1);
		assertThat(this.stream.shutdowns).isEmpty();
	}

	@Test
	void http3RequestWithItsFirstVarintSplitReachesTheCodecByteForByte() {
		open(0, true);
		// A reserved frame type (0x1f * 2 + 0x21) as a 2-byte varint, then its length 0.
		this.fixture.write("40");
		assertThat(this.stream.pipeline().first()).isInstanceOf(BidiStreamSniffer.class);
		assertThat(this.codec.received).isEmpty();
		this.fixture.write("5f");
		this.fixture.write("00");
		assertThat(String.join("", this.codec.received)).isEqualTo("405f00");
	}

	@Test
	void clientRefusesARequestStreamFromTheServer() {
		open(1, false);
		this.fixture.write("0103000000");
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).containsExactly("reset:" + STREAM_CREATION_ERROR,
				"stop:" + STREAM_CREATION_ERROR);
		assertThat(this.fixture.stats().peerErrors().count(EngineStats.BAD_SERVER_STREAM)).isOne();
		assertThat(this.codec.received).isEmpty();
	}

	@Test
	void clientTakesAWebTransportStreamFromTheServer() {
		open(1, false);
		SessionImpl session = this.fixture.session(0);
		this.fixture.write(SIGNAL + "00" + PeerStreamFixture.ascii("pushed"));
		RecordingReceiver receiver = RecordingReceiver.subscribe(PeerStreamFixture.acceptedBidi(session));
		assertThat(receiver.text()).isEqualTo("pushed");
		assertThat(this.fixture.stats().peerErrors().total()).isZero();
	}

	/**
	 * Nothing; half of the signal; the signal; the signal and half of a 2-byte session
	 * id.
	 */
	@ParameterizedTest(name = "[{0}]")
	@ValueSource(strings = { "", "40", SIGNAL, SIGNAL + "40" })
	void finInsideTheHeaderIsAFrameErrorCountedOnce(String input) {
		open(8, true);
		for (int i = 0; i < input.length(); i += 2) {
			this.fixture.write(input.substring(i, i + 2));
		}
		assertThat(this.stream.isOpen()).isTrue();
		this.stream.fin();
		assertThat(this.stream.isOpen()).isFalse();
		// No STOP_SENDING: the peer has sent all it will.
		assertThat(this.stream.shutdowns).containsExactly("reset:" + FRAME_ERROR);
		this.stream.runPendingTasks();
		this.stream.checkException();
		assertThat(this.fixture.stats().peerErrors().count(EngineStats.MALFORMED_STREAM_HEADER)).isOne();
		assertThat(this.codec.received).isEmpty();
	}

	private void open(long streamId, boolean server) {
		this.stream = this.fixture.open(streamId, QuicStreamType.BIDIRECTIONAL, server, EngineLimits.defaults());
		this.stream.pipeline().addLast(new BidiStreamSniffer(server), this.codec);
	}

	/**
	 * Stands for Netty's HTTP/3 request codec: records (in hex) and releases what reaches
	 * it.
	 */
	private static final class RequestCodecStandIn extends ChannelInboundHandlerAdapter {

		final List<String> received = new ArrayList<>();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof ByteBuf data) {
				this.received.add(ByteBufUtil.hexDump(data));
			}
			ReferenceCountUtil.release(msg);
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
			ReferenceCountUtil.release(evt);
		}

	}

}
