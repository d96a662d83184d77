package dev.stamp.webtransport.internal;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.quic.QuicStreamType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link CriticalStreamErrorHandler} at the end of a peer's unidirectional
 * {@link EmbeddedQuicStream}: HTTP/3 errors stop there as peer errors of their kind,
 * anything else goes on.
 */
class CriticalStreamErrorHandlerTests {

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	private final EmbeddedQuicStream stream = EmbeddedQuicStream.peerOpened(2, QuicStreamType.UNIDIRECTIONAL,
			UnpooledByteBufAllocator.DEFAULT, (connection) -> new ConnectionState(connection, true,
					EngineLimits.defaults(), this.stats, ConnectionState.newRefusalLogs()));

	CriticalStreamErrorHandlerTests() {
		this.stream.pipeline().addLast(CriticalStreamErrorHandler.INSTANCE);
	}

	@AfterEach
	void finish() {
		this.stream.finishAndReleaseAll();
	}

	@Test
	void http3ErrorIsCountedByItsCodeAndGoesNoFurther() {
		this.stream.pipeline()
			.fireExceptionCaught(new Http3Exception(Http3ErrorCode.H3_MISSING_SETTINGS, "no SETTINGS first"));
		this.stream.checkException();
		assertThat(this.stats.peerErrors().count(EngineStats.http3ErrorKind(Http3ErrorCode.H3_MISSING_SETTINGS)))
			.isOne();
	}

	@Test
	void otherExceptionsArePassedOn() {
		this.stream.pipeline().fireExceptionCaught(new IllegalStateException("ours"));
		assertThatIllegalStateException().isThrownBy(this.stream::checkException).withMessage("ours");
		assertThat(this.stats.peerErrors().total()).isZero();
	}

}
