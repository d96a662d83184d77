package dev.stamp.webtransport.internal;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Reads the header that opens a WebTransport stream (stream type, session id) and routes the stream; a stream that
 * ends before its header is complete is refused as malformed, once.
 */
abstract class StreamHeaderDecoder extends ByteToMessageDecoder {

	private boolean refused;

	@Override
	protected final void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
		if (in.isReadable() && !this.refused) {
			decode(ctx, in, out);
		}
		if (ctx.isRemoved() || this.refused) {
			return; // routed, or already refused (decodeLast runs at FIN and again when the channel closes)
		}
		this.refused = true;
		// FIN before a complete stream header.
		ConnectionState.require(ctx).stats().refused(EngineStats.MALFORMED_STREAM_HEADER);
		in.skipBytes(in.readableBytes());
		SessionImpl.abortChannel((QuicStreamChannel) ctx.channel(), BidiStreamSniffer.H3_FRAME_ERROR);
	}

}
