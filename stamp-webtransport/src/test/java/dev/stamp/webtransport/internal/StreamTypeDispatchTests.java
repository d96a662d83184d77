package dev.stamp.webtransport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.protocol.StreamTypes;
import dev.stamp.webtransport.protocol.VarInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StreamTypeDispatch}, the handler factory Netty asks for unidirectional stream
 * types it does not know itself (it handles control, push and QPACK streams):
 * WebTransport streams (0x54, draft-ietf-webtrans-http3) get a header decoder of their
 * own, every other type the shared handler that discards the stream (RFC 9114, 6.2).
 */
class StreamTypeDispatchTests {

	@Test
	void webTransportStreamsGetAHeaderDecoderOfTheirOwn() {
		ChannelHandler first = StreamTypeDispatch.INSTANCE.apply(StreamTypes.UNI_STREAM_TYPE);
		ChannelHandler second = StreamTypeDispatch.INSTANCE.apply(StreamTypes.UNI_STREAM_TYPE);
		assertThat(first).isInstanceOf(UniStreamHeaderDecoder.class);
		assertThat(second).isInstanceOf(UniStreamHeaderDecoder.class);
		// A decoder keeps the bytes of a split header: one per stream.
		assertThat(first).isNotSameAs(second);
		assertThat(first.getClass().isAnnotationPresent(ChannelHandler.Sharable.class)).isFalse();
	}

	/**
	 * Reserved (0x1f * N + 0x21) and unassigned types, the bidirectional signal 0x41 (not
	 * a unidirectional type), and the largest varint.
	 */
	@ParameterizedTest(name = "0x{0}")
	@ValueSource(longs = { 0x21, 0x1f * 1000 + 0x21, 0x04, 0x41, 0x53, 0x55, VarInt.MAX_VALUE })
	void everyOtherTypeIsDiscardedBySharedHandler(long streamType) {
		assertThat(StreamTypeDispatch.INSTANCE.apply(streamType)).isSameAs(UnknownStreamHandler.INSTANCE);
	}

	@Test
	void handlerForWebTransportStreamsRoutesByTheSessionIdThatFollows() {
		EngineStats stats = new EngineStats(new PeerErrors("test"));
		EmbeddedQuicStream stream = EmbeddedQuicStream.peerOpened(2, QuicStreamType.UNIDIRECTIONAL,
				UnpooledByteBufAllocator.DEFAULT, (connection) -> new ConnectionState(connection, true,
						EngineLimits.defaults(), stats, ConnectionState.newRefusalLogs()));
		stream.pipeline().addLast(StreamTypeDispatch.INSTANCE.apply(StreamTypes.UNI_STREAM_TYPE));
		// Session ids are client-initiated bidirectional stream ids: 2 can never be one.
		ByteBuf header = VarInt.write(Unpooled.buffer(), 2);
		stream.writeInbound(header);
		assertThat(header.refCnt()).isZero();
		assertThat(stats.refusals(EngineStats.STREAM_UNKNOWN_SESSION)).isOne();
		assertThat(stream.shutdowns).containsExactly("stop:0x" + Long.toHexString(Http3ErrorCodes.WT_SESSION_GONE));
		assertThat(stream.finishAndReleaseAll()).isFalse();
	}

	@Test
	void handlerForOtherTypesCountsAndDiscards() {
		EngineStats stats = new EngineStats(new PeerErrors("test"));
		EmbeddedQuicStream stream = EmbeddedQuicStream.peerOpened(2, QuicStreamType.UNIDIRECTIONAL,
				UnpooledByteBufAllocator.DEFAULT, (connection) -> new ConnectionState(connection, true,
						EngineLimits.defaults(), stats, ConnectionState.newRefusalLogs()));
		stream.pipeline().addLast(StreamTypeDispatch.INSTANCE.apply(0x21));
		ByteBuf data = Unpooled.buffer().writeZero(3);
		assertThat(stream.writeInbound(data)).isFalse();
		assertThat(data.refCnt()).isZero();
		assertThat(stats.refusals(EngineStats.UNKNOWN_STREAM_TYPE)).isOne();
		assertThat(stream.finishAndReleaseAll()).isFalse();
	}

}
