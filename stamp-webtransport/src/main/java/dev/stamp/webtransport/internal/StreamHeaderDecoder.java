package dev.stamp.webtransport.internal;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.quic.QuicStreamChannel;

import dev.stamp.webtransport.protocol.Http3ErrorCodes;

/**
 * Reads the header that opens a WebTransport stream (stream type, session id) and routes
 * the stream; a stream that ends before its header is complete is refused as malformed,
 * once.
 */
abstract class StreamHeaderDecoder extends ByteToMessageDecoder {

	/**
	 * Subclasses call this once the header is complete, whatever became of the stream: a
	 * stream refused after a complete header (unknown session, over a limit) closes with
	 * this decoder still in place, and is not malformed.
	 */
	protected final void headerComplete() {
		this.done = true;
	}

	/**
	 * The header was read (the stream routed or refused) or the stream was refused as
	 * malformed.
	 */
	private boolean done;

	@Override
	protected final void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
		if (in.isReadable() && !this.done) {
			decode(ctx, in, out);
		}
		if (ctx.isRemoved() || this.done) {
			return; // routed, or already refused (decodeLast runs at FIN and again when
					// the channel closes)
		}
		this.done = true;
		// FIN before a complete stream header.
		ConnectionState.require(ctx)
			.peerError(EngineStats.MALFORMED_STREAM_HEADER,
					"stream ended inside its WebTransport header; reset with H3_FRAME_ERROR");
		in.skipBytes(in.readableBytes());
		SessionImpl.abortChannel((QuicStreamChannel) ctx.channel(), Http3ErrorCodes.H3_FRAME_ERROR);
	}

}
