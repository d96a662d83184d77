package dev.stamp.webtransport.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Takes unidirectional streams of a type nobody handles: counts them and discards their
 * data, which RFC 9114 (6.2) allows as the alternative to aborting them. The stream ends
 * with the peer's FIN; QUIC's stream credit bounds how many such streams a peer can keep
 * open.
 */
@ChannelHandler.Sharable
final class UnknownStreamHandler extends ChannelInboundHandlerAdapter {

	static final UnknownStreamHandler INSTANCE = new UnknownStreamHandler();

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		ConnectionState connection = ConnectionState.require(ctx);
		if (connection != null) {
			connection.stats().refused(EngineStats.UNKNOWN_STREAM_TYPE);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		// Nobody reads this stream: the data is dropped here.
		ReferenceCountUtil.release(msg);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		ReferenceCountUtil.release(evt);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

}
