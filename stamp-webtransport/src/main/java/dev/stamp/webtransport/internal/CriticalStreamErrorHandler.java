package dev.stamp.webtransport.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3Exception;

/**
 * Added by {@link PeerStreamInterceptor} at the end of every peer-opened unidirectional
 * stream's pipeline, behind the handler Netty installs once it read the stream type: the
 * {@link Http3Exception}s Netty fires on control and QPACK streams, after closing the
 * connection with their code, are peer errors, counted here instead of each reaching the
 * end of the pipeline with a stack trace. Everything else passes through (WebTransport
 * streams keep their own handler behind this one).
 */
@ChannelHandler.Sharable
final class CriticalStreamErrorHandler extends ChannelInboundHandlerAdapter {

	static final CriticalStreamErrorHandler INSTANCE = new CriticalStreamErrorHandler();

	private CriticalStreamErrorHandler() {
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof Http3Exception) {
			ConnectionState.require(ctx).http3Error((Http3Exception) cause, "a control or QPACK stream");
			return;
		}
		ctx.fireExceptionCaught(cause);
	}

}
