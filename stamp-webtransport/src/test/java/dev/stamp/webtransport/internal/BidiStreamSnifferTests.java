package dev.stamp.webtransport.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.WebTransportStream;
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

	private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	private final List<EmbeddedQuicStream> channels = new ArrayList<>();

	private final RequestCodecStandIn codec = new RequestCodecStandIn();

	private EmbeddedQuicStream stream;

	private ConnectionState state;

	@AfterEach
	void finish() {
		for (EmbeddedQuicStream channel : this.channels) {
			assertThat(channel.finishAndReleaseAll()).as("nothing reached the end of the pipeline").isFalse();
		}
		assertThat(this.allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

	@Test
	void webTransportStreamGoesToItsSessionWithTheBytesAfterItsHeader() {
		open(8, true);
		SessionImpl session = session(0);
		write(SIGNAL + "00" + ascii("hi"));
		assertThat(this.stream.pipeline().get(BidiStreamSniffer.class)).isNull();
		assertThat(this.stream.pipeline().get(RequestCodecStandIn.class)).as("HTTP/3 handlers removed").isNull();
		assertThat(this.stream.pipeline().last()).isInstanceOf(StreamHandler.class);
		assertThat(this.stream.config().isAllowHalfClosure()).as("FIN ends one direction only").isTrue();
		RecordingReceiver receiver = RecordingReceiver.subscribe(accepted(session));
		this.stream.fin();
		assertThat(receiver.text()).isEqualTo("hi");
		assertThat(receiver.completed()).isTrue();
		assertThat(this.codec.received).isEmpty();
		assertThat(this.stats.peerErrors().total()).isZero();
	}

	@Test
	void headerSplitByteByByteIsReadWhenComplete() {
		open(8, true);
		SessionImpl session = session(0x100);
		String header = SIGNAL + "4100"; // session id 0x100 as a 2-byte varint
		for (int i = 0; i < header.length() - 2; i += 2) {
			write(header.substring(i, i + 2));
			assertThat(this.stream.pipeline().first()).as("after byte %d", i / 2).isInstanceOf(BidiStreamSniffer.class);
		}
		write(header.substring(header.length() - 2));
		assertThat(this.stream.pipeline().last()).isInstanceOf(StreamHandler.class);
		write(ascii("a"));
		write(ascii("b"));
		RecordingReceiver receiver = RecordingReceiver.subscribe(accepted(session));
		assertThat(receiver.text()).isEqualTo("ab");
		assertThat(this.codec.received).isEmpty();
	}

	@Test
	void streamForASessionStillToComeWaitsWithItsBytes() {
		open(8, true);
		write(SIGNAL + "04" + ascii("early"));
		assertThat(this.stream.pipeline().last()).isInstanceOf(PendingStreamHandler.class);
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 1).containsEntry("pendingBytes", 5);
		SessionImpl session = session(4);
		RecordingReceiver receiver = RecordingReceiver.subscribe(accepted(session));
		assertThat(receiver.text()).isEqualTo("early");
		assertThat(this.codec.received).isEmpty();
	}

	@Test
	void streamForASessionThatCannotBeIsResetWithSessionGone() {
		open(8, true);
		// Session ids are client-initiated bidirectional stream ids: 2 is none.
		write(SIGNAL + "02" + ascii("lost"));
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).containsExactly("reset:" + SESSION_GONE, "stop:" + SESSION_GONE);
		assertThat(this.stats.refusals(EngineStats.STREAM_UNKNOWN_SESSION)).isOne();
		assertThat(this.codec.received).isEmpty();
		this.stream.fin();
		assertThat(this.stats.peerErrors().count(EngineStats.MALFORMED_STREAM_HEADER))
			.as("the header was complete: refused, not malformed")
			.isZero();
	}

	@Test
	void http3RequestReachesTheCodecByteForByte() {
		open(8, true);
		String headersFrame = "0103" + "000000"; // HEADERS, length 3
		write(headersFrame);
		assertThat(this.stream.pipeline().get(BidiStreamSniffer.class)).isNull();
		assertThat(String.join("", this.codec.received)).isEqualTo(headersFrame);
		assertThat(this.state.nextUnseenRequestStreamId()).as("the request stream is seen").isEqualTo(12);
		assertThat(this.state.debugState()).containsEntry("connectsInProgress", 1);
		assertThat(this.stream.shutdowns).isEmpty();
	}

	@Test
	void http3RequestWithItsFirstVarintSplitReachesTheCodecByteForByte() {
		open(0, true);
		// A reserved frame type (0x1f * 2 + 0x21) as a 2-byte varint, then its length 0.
		write("40");
		assertThat(this.stream.pipeline().first()).isInstanceOf(BidiStreamSniffer.class);
		assertThat(this.codec.received).isEmpty();
		write("5f");
		write("00");
		assertThat(String.join("", this.codec.received)).isEqualTo("405f00");
	}

	@Test
	void clientRefusesARequestStreamFromTheServer() {
		open(1, false);
		write("0103000000");
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).containsExactly("reset:" + STREAM_CREATION_ERROR,
				"stop:" + STREAM_CREATION_ERROR);
		assertThat(this.stats.peerErrors().count(EngineStats.BAD_SERVER_STREAM)).isOne();
		assertThat(this.codec.received).isEmpty();
	}

	@Test
	void clientTakesAWebTransportStreamFromTheServer() {
		open(1, false);
		SessionImpl session = session(0);
		write(SIGNAL + "00" + ascii("pushed"));
		RecordingReceiver receiver = RecordingReceiver.subscribe(accepted(session));
		assertThat(receiver.text()).isEqualTo("pushed");
		assertThat(this.stats.peerErrors().total()).isZero();
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
			write(input.substring(i, i + 2));
		}
		assertThat(this.stream.isOpen()).isTrue();
		this.stream.fin();
		assertThat(this.stream.isOpen()).isFalse();
		// No STOP_SENDING: the peer has sent all it will.
		assertThat(this.stream.shutdowns).containsExactly("reset:" + FRAME_ERROR);
		this.stream.runPendingTasks();
		this.stream.checkException();
		assertThat(this.stats.peerErrors().count(EngineStats.MALFORMED_STREAM_HEADER)).isOne();
		assertThat(this.codec.received).isEmpty();
	}

	private void open(long streamId, boolean server) {
		this.stream = EmbeddedQuicStream.peerOpened(streamId, QuicStreamType.BIDIRECTIONAL, this.allocator,
				(connection) -> new ConnectionState(connection, server, EngineLimits.defaults(), this.stats,
						ConnectionState.newRefusalLogs()));
		this.channels.add(this.stream);
		this.state = ConnectionState.of(this.stream.parent());
		this.stream.pipeline().addLast(new BidiStreamSniffer(server), this.codec);
	}

	private SessionImpl session(long sessionId) {
		EmbeddedQuicStream connectStream = this.stream.sibling(sessionId, QuicStreamType.BIDIRECTIONAL);
		this.channels.add(connectStream);
		return connectStream.acceptAsSession();
	}

	private static WebTransportStream accepted(SessionImpl session) {
		return session.acceptedBidiStreams().blockFirst(Duration.ofSeconds(5));
	}

	private void write(String hex) {
		this.stream.writeInbound(this.allocator.heapBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex)));
	}

	private static String ascii(String text) {
		return ByteBufUtil.hexDump(text.getBytes(StandardCharsets.US_ASCII));
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
