package dev.stamp.webtransport.internal;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicException;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

/**
 * Last on every QUIC connection's pipeline: what reaches it there is the peer's doing and
 * becomes a peer error, counted by kind and logged once per burst, instead of a stack
 * trace per event at the end of the pipeline. quiche reports packets it refused
 * ({@link QuicException}), Netty failed TLS handshakes ({@link SSLException}) and HTTP/3
 * stream creation errors ({@link Http3Exception}); a peer's CONNECTION_CLOSE with an
 * error code arrives as a {@link QuicConnectionCloseEvent}. Anything else is passed on:
 * it is not the peer's doing.
 */
@ChannelHandler.Sharable
public final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {

	private final PeerErrors peerErrors;

	public ConnectionErrorHandler(PeerErrors peerErrors) {
		this.peerErrors = peerErrors;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (!recordPeerError(ctx, cause)) {
			ctx.fireExceptionCaught(cause);
		}
	}

	/**
	 * Counts {@code cause} as a peer error if it is one.
	 * @param ctx the QUIC channel's context
	 * @param cause what reached the end of the pipeline
	 * @return {@code false} if it is not the peer's doing and must be passed on
	 */
	boolean recordPeerError(ChannelHandlerContext ctx, Throwable cause) {
		Object peer = peer(ctx);
		if (cause instanceof QuicException) {
			this.peerErrors.record(EngineStats.QUIC_PROTOCOL_ERROR, peer,
					"QUIC packet refused (" + cause.getMessage() + ")", cause);
		}
		else if (cause instanceof SSLException) {
			this.peerErrors.record(EngineStats.TLS_HANDSHAKE_FAILED, peer,
					"TLS handshake failed (" + cause.getMessage() + "); connection closed", cause);
		}
		else if (cause instanceof Http3Exception) {
			Http3Exception error = (Http3Exception) cause;
			this.peerErrors.record(EngineStats.http3ErrorKind(error.errorCode()), peer,
					"HTTP/3 error (" + error.getMessage() + "), answered with " + error.errorCode(), error);
		}
		else {
			return false;
		}
		return true;
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		recordClose(ctx, evt);
		ctx.fireUserEventTriggered(evt);
	}

	/**
	 * Counts a peer's CONNECTION_CLOSE with an error code as a peer error.
	 * @param ctx the QUIC channel's context
	 * @param evt a user event on the QUIC channel
	 */
	void recordClose(ChannelHandlerContext ctx, Object evt) {
		if (evt instanceof QuicConnectionCloseEvent) {
			QuicConnectionCloseEvent close = (QuicConnectionCloseEvent) evt;
			if (close.error() != 0 && !(close.isApplicationClose() && close.error() == Http3ErrorCodes.H3_NO_ERROR)) {
				String space = close.isApplicationClose() ? "application" : "transport";
				this.peerErrors.record(EngineStats.PEER_CLOSED_WITH_ERROR, peer(ctx),
						"peer closed the connection with " + space + " error 0x" + Integer.toHexString(close.error()));
			}
		}
	}

	private static Object peer(ChannelHandlerContext ctx) {
		return ((QuicChannel) ctx.channel()).remoteSocketAddress();
	}

}
