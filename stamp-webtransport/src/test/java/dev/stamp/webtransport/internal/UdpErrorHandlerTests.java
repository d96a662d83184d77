package dev.stamp.webtransport.internal;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicTransportError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link UdpErrorHandler} at the end of an {@link EmbeddedChannel}: QUIC parse errors
 * stop there as peer errors, anything else reaches the end of the pipeline.
 */
class UdpErrorHandlerTests {

	private final PeerErrors peerErrors = new PeerErrors("test");

	private final EmbeddedChannel channel = new EmbeddedChannel(new UdpErrorHandler(this.peerErrors));

	@AfterEach
	void finish() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void quicExceptionIsCountedAsAPeerErrorAndGoesNoFurther() {
		this.channel.pipeline()
			.fireExceptionCaught(new QuicException("invalid packet", QuicTransportError.PROTOCOL_VIOLATION));
		this.channel.checkException();
		assertThat(this.peerErrors.count(EngineStats.QUIC_PACKET_MALFORMED)).isOne();
	}

	@Test
	void otherExceptionsArePassedOn() {
		this.channel.pipeline().fireExceptionCaught(new IllegalStateException("ours"));
		assertThatIllegalStateException().isThrownBy(this.channel::checkException).withMessage("ours");
		assertThat(this.peerErrors.total()).isZero();
	}

}
