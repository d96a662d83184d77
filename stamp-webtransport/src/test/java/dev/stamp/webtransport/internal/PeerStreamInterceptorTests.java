package dev.stamp.webtransport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PeerStreamInterceptor} on an {@link EmbeddedQuicConnection}: each peer-opened
 * stream passes through it on its way to Netty's HTTP/3 handling, bidirectional ones with
 * a {@link BidiStreamSniffer} put first (for the 0x41 WebTransport signal),
 * unidirectional ones with a {@link CriticalStreamErrorHandler} put last.
 */
class PeerStreamInterceptorTests {

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	private EmbeddedQuicConnection connection;

	private EmbeddedQuicStream stream;

	@AfterEach
	void finish() {
		assertThat(this.connection.finishAndReleaseAll()).isFalse();
		if (this.stream != null) {
			assertThat(this.stream.finishAndReleaseAll()).isFalse();
		}
	}

	@Test
	void peerBidirectionalStreamGetsASnifferFirstAndPassesOn() {
		this.connection = new EmbeddedQuicConnection(PeerStreamInterceptor.SERVER);
		this.stream = peerStream(0, QuicStreamType.BIDIRECTIONAL, true);
		this.stream.pipeline().addLast("request-codec", new ChannelInboundHandlerAdapter());
		assertThat(this.connection.writeInbound(this.stream)).isTrue();
		assertThat((Object) this.connection.readInbound()).isSameAs(this.stream);
		assertThat(this.stream.pipeline().first()).isInstanceOf(BidiStreamSniffer.class);
		assertThat(this.stream.pipeline().last()).isNotInstanceOf(CriticalStreamErrorHandler.class);
	}

	@Test
	void peerUnidirectionalStreamGetsTheCriticalStreamErrorHandlerLast() {
		this.connection = new EmbeddedQuicConnection(PeerStreamInterceptor.SERVER);
		this.stream = peerStream(2, QuicStreamType.UNIDIRECTIONAL, true);
		this.stream.pipeline().addLast("control-decoder", new ChannelInboundHandlerAdapter());
		this.connection.writeInbound(this.stream);
		assertThat((Object) this.connection.readInbound()).isSameAs(this.stream);
		assertThat(this.stream.pipeline().last()).isSameAs(CriticalStreamErrorHandler.INSTANCE);
		assertThat(this.stream.pipeline().get(BidiStreamSniffer.class)).isNull();
	}

	@Test
	void streamsOpenedLocallyAreLeftAlone() {
		this.connection = new EmbeddedQuicConnection(PeerStreamInterceptor.SERVER);
		this.stream = EmbeddedQuicStream.locallyOpened(1, QuicStreamType.BIDIRECTIONAL,
				UnpooledByteBufAllocator.DEFAULT, (connection) -> state(connection, true));
		this.connection.writeInbound(this.stream);
		assertThat((Object) this.connection.readInbound()).isSameAs(this.stream);
		assertThat(this.stream.pipeline().first()).as("no handler added").isNull();
	}

	@Test
	void aDatagramEndsHereReleased() {
		// The interceptor is the connection's datagram handler too: a QUIC datagram
		// (a buffer on the connection) goes to the connection's sessions, not on.
		this.connection = new EmbeddedQuicConnection(PeerStreamInterceptor.SERVER);
		ByteBuf datagram = Unpooled.buffer().writeZero(3);
		assertThat(this.connection.writeInbound(datagram)).isFalse();
		assertThat(datagram.refCnt()).isZero();
	}

	@Test
	void otherMessagesPassOnUntouched() {
		this.connection = new EmbeddedQuicConnection(PeerStreamInterceptor.SERVER);
		Object message = new Object();
		assertThat(this.connection.writeInbound(message)).isTrue();
		assertThat((Object) this.connection.readInbound()).isSameAs(message);
	}

	@Test
	void serverSnifferLetsHttp3RequestsThrough() {
		this.connection = new EmbeddedQuicConnection(PeerStreamInterceptor.SERVER);
		this.stream = peerStream(0, QuicStreamType.BIDIRECTIONAL, true);
		CountingCodec codec = new CountingCodec();
		this.stream.pipeline().addLast(codec);
		this.connection.writeInbound(this.stream);
		this.connection.readInbound();
		this.stream.writeInbound(headersFrameStart());
		assertThat(codec.bytes).isEqualTo(3);
		assertThat(this.stream.shutdowns).isEmpty();
	}

	@Test
	void clientSnifferRefusesHttp3RequestStreams() {
		this.connection = new EmbeddedQuicConnection(PeerStreamInterceptor.CLIENT);
		this.stream = peerStream(1, QuicStreamType.BIDIRECTIONAL, false);
		CountingCodec codec = new CountingCodec();
		this.stream.pipeline().addLast(codec);
		this.connection.writeInbound(this.stream);
		this.connection.readInbound();
		this.stream.writeInbound(headersFrameStart());
		assertThat(codec.bytes).isZero();
		String creationError = "0x" + Integer.toHexString(Http3ErrorCodes.H3_STREAM_CREATION_ERROR);
		assertThat(this.stream.shutdowns).containsExactly("reset:" + creationError, "stop:" + creationError);
		assertThat(this.stats.peerErrors().count(EngineStats.BAD_SERVER_STREAM)).isOne();
	}

	private EmbeddedQuicStream peerStream(long streamId, QuicStreamType type, boolean server) {
		return EmbeddedQuicStream.peerOpened(streamId, type, UnpooledByteBufAllocator.DEFAULT,
				(connection) -> state(connection, server));
	}

	private ConnectionState state(QuicChannel connection, boolean server) {
		return new ConnectionState(connection, server, EngineLimits.defaults(), this.stats,
				ConnectionState.newRefusalLogs());
	}

	/** The start of an HTTP/3 HEADERS frame: type 0x01, length 2, two bytes. */
	private static ByteBuf headersFrameStart() {
		return Unpooled.buffer().writeByte(0x01).writeByte(0x02).writeByte(0x00);
	}

	/** Stands for Netty's HTTP/3 request codec: counts and releases what reaches it. */
	private static final class CountingCodec extends ChannelInboundHandlerAdapter {

		int bytes;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof ByteBuf data) {
				this.bytes += data.readableBytes();
			}
			ReferenceCountUtil.release(msg);
		}

	}

}
