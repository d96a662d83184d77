package dev.stamp.webtransport.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicStreamChannel;

import dev.stamp.webtransport.protocol.Http3ErrorCodes;

/**
 * Sits on an HTTP/3 request stream right behind Netty's HTTP/3 codec, in front of the
 * stream's own handler: an exception that reaches it, other than the
 * {@link Http3Exception}s and {@link QuicException}s the codec reports on purpose, is the
 * codec failing on the peer's bytes. Netty 4.2.17's QPACK decoder, for example, fails an
 * assertion (or, without {@code -ea}, indexes out of bounds) on a field section that ends
 * inside an integer, and leaves the connection open, so a peer could have every stream
 * log a stack trace. Such a failure is counted as a peer error and the connection closed
 * with H3_GENERAL_PROTOCOL_ERROR.
 */
@ChannelHandler.Sharable
public final class DecoderFailureGuard extends ChannelInboundHandlerAdapter {

	/** The shared instance: the handler holds no state. */
	public static final DecoderFailureGuard INSTANCE = new DecoderFailureGuard();

	private DecoderFailureGuard() {
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof Http3Exception || cause instanceof QuicException) {
			ctx.fireExceptionCaught(cause);
			return;
		}
		QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
		ConnectionState.require(ctx)
			.peerError(EngineStats.H3_DECODER_FAILURE, "Netty's HTTP/3 decoder failed on a request stream (" + cause
					+ "); connection closed with H3_GENERAL_PROTOCOL_ERROR", cause);
		stream.parent().close(true, Http3ErrorCodes.H3_GENERAL_PROTOCOL_ERROR, Unpooled.EMPTY_BUFFER);
	}

}
