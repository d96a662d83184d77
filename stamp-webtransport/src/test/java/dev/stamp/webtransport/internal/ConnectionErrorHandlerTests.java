package dev.stamp.webtransport.internal;

import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicTransportError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link ConnectionErrorHandler} on an {@link EmbeddedQuicConnection}: the peer's errors
 * stop there, counted by kind; a clean close is no error; everything else goes on.
 */
class ConnectionErrorHandlerTests {

	private final PeerErrors peerErrors = new PeerErrors("test");

	private final List<Object> eventsAfter = new ArrayList<>();

	private final EmbeddedQuicConnection connection = new EmbeddedQuicConnection(handler(this.peerErrors),
			new ChannelInboundHandlerAdapter() {

				@Override
				public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
					ConnectionErrorHandlerTests.this.eventsAfter.add(evt);
				}

			});

	/**
	 * The handler under test, last but for the one recording the events it passes on.
	 * @param peerErrors where it counts the peer's errors
	 * @return the handler
	 */
	ChannelHandler handler(PeerErrors peerErrors) {
		return new ConnectionErrorHandler(peerErrors);
	}

	@AfterEach
	void finish() {
		this.connection.finishAndReleaseAll();
	}

	@Test
	void refusedQuicPacketIsAPeerError() {
		fire(new QuicException("bad frame", QuicTransportError.FRAME_ENCODING_ERROR));
		assertThat(this.peerErrors.count(EngineStats.QUIC_PROTOCOL_ERROR)).isOne();
	}

	@Test
	void failedTlsHandshakeIsAPeerError() {
		fire(new SSLHandshakeException("no shared cipher"));
		assertThat(this.peerErrors.count(EngineStats.TLS_HANDSHAKE_FAILED)).isOne();
	}

	@Test
	void http3ErrorIsCountedByItsCode() {
		fire(new Http3Exception(Http3ErrorCode.H3_STREAM_CREATION_ERROR, "server push"));
		assertThat(this.peerErrors.count(EngineStats.http3ErrorKind(Http3ErrorCode.H3_STREAM_CREATION_ERROR))).isOne();
	}

	@Test
	void otherExceptionsArePassedOn() {
		this.connection.pipeline().fireExceptionCaught(new IllegalStateException("ours"));
		assertThatIllegalStateException().isThrownBy(this.connection::checkException).withMessage("ours");
		assertThat(this.peerErrors.total()).isZero();
	}

	@Test
	void cleanClosesAreNoErrorAndPassOn() {
		QuicConnectionCloseEvent http3NoError = EmbeddedQuicConnection.closeEvent(true, Http3ErrorCodes.H3_NO_ERROR);
		QuicConnectionCloseEvent transportNoError = EmbeddedQuicConnection.closeEvent(false, 0);
		this.connection.pipeline().fireUserEventTriggered(http3NoError);
		this.connection.pipeline().fireUserEventTriggered(transportNoError);
		assertThat(this.peerErrors.total()).isZero();
		assertThat(this.eventsAfter).containsExactly(http3NoError, transportNoError);
	}

	@Test
	void closesWithAnErrorCodeArePeerErrorsAndPassOn() {
		QuicConnectionCloseEvent application = EmbeddedQuicConnection.closeEvent(true,
				Http3ErrorCodes.H3_GENERAL_PROTOCOL_ERROR);
		QuicConnectionCloseEvent transport = EmbeddedQuicConnection.closeEvent(false, 0x0a);
		this.connection.pipeline().fireUserEventTriggered(application);
		this.connection.pipeline().fireUserEventTriggered(transport);
		assertThat(this.peerErrors.count(EngineStats.PEER_CLOSED_WITH_ERROR)).isEqualTo(2);
		assertThat(this.eventsAfter).containsExactly(application, transport);
	}

	private void fire(Throwable cause) {
		this.connection.pipeline().fireExceptionCaught(cause);
		this.connection.checkException();
	}

}
