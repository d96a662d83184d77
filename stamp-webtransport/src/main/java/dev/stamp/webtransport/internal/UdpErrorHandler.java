package dev.stamp.webtransport.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicException;

import dev.stamp.core.PeerErrors;

/**
 * Last on a server's UDP pipeline: a {@link QuicException} that reaches it was raised by
 * Netty's QUIC codec or dispatcher for a packet it could not parse, so it is a peer
 * error, counted once per burst instead of a stack trace per packet. Other exceptions are
 * passed on: they are not the peer's doing.
 */
@ChannelHandler.Sharable
public final class UdpErrorHandler extends ChannelInboundHandlerAdapter {

	private final PeerErrors peerErrors;

	public UdpErrorHandler(PeerErrors peerErrors) {
		this.peerErrors = peerErrors;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof QuicException) {
			this.peerErrors.record(EngineStats.QUIC_PACKET_MALFORMED, null,
					"QUIC packet not parsed (" + cause.getMessage() + "); dropped", cause);
			return;
		}
		ctx.fireExceptionCaught(cause);
	}

}
