package dev.stamp.webtransport.internal;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.codec.quic.QuicTransportError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link DecoderFailureGuard} on an {@link EmbeddedQuicStream}: a failure of Netty's
 * decoder closes the connection with H3_GENERAL_PROTOCOL_ERROR and stops there; the
 * errors the codec reports on purpose go on.
 */
class DecoderFailureGuardTests {

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	private final EmbeddedQuicStream stream = EmbeddedQuicStream.peerOpened(0, QuicStreamType.BIDIRECTIONAL,
			UnpooledByteBufAllocator.DEFAULT, (connection) -> new ConnectionState(connection, true,
					EngineLimits.defaults(), this.stats, ConnectionState.newRefusalLogs()));

	DecoderFailureGuardTests() {
		this.stream.pipeline().addLast(DecoderFailureGuard.INSTANCE);
	}

	@AfterEach
	void finish() {
		this.stream.finishAndReleaseAll();
	}

	@Test
	void decoderFailureClosesTheConnectionAndIsAPeerError() {
		this.stream.pipeline().fireExceptionCaught(new IndexOutOfBoundsException("QPACK integer cut off"));
		this.stream.checkException();
		assertThat(this.stream.connectionCloses).containsExactly(Http3ErrorCodes.H3_GENERAL_PROTOCOL_ERROR);
		assertThat(this.stats.peerErrors().count(EngineStats.H3_DECODER_FAILURE)).isOne();
	}

	@Test
	void http3ErrorsOfTheCodecArePassedOn() {
		this.stream.pipeline()
			.fireExceptionCaught(new Http3Exception(Http3ErrorCode.H3_FRAME_UNEXPECTED, "DATA before HEADERS"));
		assertThatExceptionOfType(Http3Exception.class).isThrownBy(this.stream::checkException);
		assertThat(this.stream.connectionCloses).isEmpty();
		assertThat(this.stats.peerErrors().total()).isZero();
	}

	@Test
	void quicErrorsArePassedOn() {
		this.stream.pipeline()
			.fireExceptionCaught(new QuicException("stream reset", QuicTransportError.STREAM_STATE_ERROR));
		assertThatExceptionOfType(QuicException.class).isThrownBy(this.stream::checkException);
		assertThat(this.stream.connectionCloses).isEmpty();
	}

}
