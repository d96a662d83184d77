package dev.stamp.webtransport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.quic.QuicStreamType;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UnknownStreamHandler} on a peer's unidirectional {@link EmbeddedQuicStream} of a
 * type nobody handles: RFC 9114 (6.2) lets a recipient discard such a stream's data
 * rather than abort it, so the stream is counted, its data released, and nothing is sent
 * back.
 */
class UnknownStreamHandlerTests {

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	@Test
	void streamIsCountedOnceWhenTheHandlerIsInstalled() {
		EmbeddedQuicStream stream = stream();
		assertThat(this.stats.refusals(EngineStats.UNKNOWN_STREAM_TYPE)).isOne();
		stream.writeInbound(Unpooled.buffer().writeZero(4));
		stream.writeInbound(Unpooled.buffer().writeZero(4));
		assertThat(this.stats.refusals(EngineStats.UNKNOWN_STREAM_TYPE)).isOne();
		assertThat(this.stats.peerErrors().total()).as("not an error").isZero();
		assertThat(stream.finishAndReleaseAll()).isFalse();
	}

	@Test
	void sharedInstanceCountsEveryStream() {
		EmbeddedQuicStream first = stream();
		EmbeddedQuicStream second = stream();
		assertThat(this.stats.refusals(EngineStats.UNKNOWN_STREAM_TYPE)).isEqualTo(2);
		assertThat(first.finishAndReleaseAll()).isFalse();
		assertThat(second.finishAndReleaseAll()).isFalse();
	}

	@Test
	void dataIsReleasedAndGoesNoFurther() {
		EmbeddedQuicStream stream = stream();
		ByteBuf first = Unpooled.buffer().writeZero(100);
		ByteBuf second = Unpooled.buffer().writeZero(1);
		assertThat(stream.writeInbound(first, second)).isFalse();
		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
		assertThat(stream.finishAndReleaseAll()).isFalse();
	}

	@Test
	void finEndsTheStreamWithoutStopSendingOrReset() {
		EmbeddedQuicStream stream = stream();
		stream.writeInbound(Unpooled.buffer().writeZero(8));
		stream.fin();
		stream.checkException();
		assertThat(stream.shutdowns).as("discarded, not aborted").isEmpty();
		assertThat(stream.finishAndReleaseAll()).isFalse();
	}

	@Test
	void userEventsAreReleased() {
		EmbeddedQuicStream stream = stream();
		ByteBuf content = Unpooled.buffer().writeZero(2);
		stream.pipeline().fireUserEventTriggered(new DefaultByteBufHolder(content));
		assertThat(content.refCnt()).isZero();
		assertThat(stream.finishAndReleaseAll()).isFalse();
	}

	@Test
	void exceptionClosesTheStreamAndGoesNoFurther() {
		EmbeddedQuicStream stream = stream();
		stream.pipeline().fireExceptionCaught(new IllegalStateException("from the decoder in front"));
		stream.checkException();
		assertThat(stream.isOpen()).isFalse();
		assertThat(stream.finishAndReleaseAll()).isFalse();
	}

	@Test
	void connectionWithoutWebTransportStateIsNotCounted() {
		EmbeddedQuicStream stream = EmbeddedQuicStream.peerOpened(2, QuicStreamType.UNIDIRECTIONAL,
				UnpooledByteBufAllocator.DEFAULT, (connection) -> null);
		stream.pipeline().addLast(UnknownStreamHandler.INSTANCE);
		ByteBuf data = Unpooled.buffer().writeZero(4);
		assertThat(stream.writeInbound(data)).isFalse();
		assertThat(data.refCnt()).isZero();
		assertThat(this.stats.refusals(EngineStats.UNKNOWN_STREAM_TYPE)).isZero();
		assertThat(stream.finishAndReleaseAll()).isFalse();
	}

	private EmbeddedQuicStream stream() {
		EmbeddedQuicStream stream = EmbeddedQuicStream.peerOpened(2, QuicStreamType.UNIDIRECTIONAL,
				UnpooledByteBufAllocator.DEFAULT, (connection) -> new ConnectionState(connection, true,
						EngineLimits.defaults(), this.stats, ConnectionState.newRefusalLogs()));
		stream.pipeline().addLast(UnknownStreamHandler.INSTANCE);
		return stream;
	}

}
