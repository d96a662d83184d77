package dev.stamp.webtransport.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Takes unidirectional streams of a type nobody handles: counts them, aborts reading with
 * H3_STREAM_CREATION_ERROR (RFC 9114, 6.2) and drops whatever already arrived.
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
		QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
		StreamErrors.stopReceiving(stream, BidiStreamSniffer.H3_STREAM_CREATION_ERROR);
		stream.close();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		// Nobody reads this stream: the data is dropped here.
		ReferenceCountUtil.release(msg);
	}

}
