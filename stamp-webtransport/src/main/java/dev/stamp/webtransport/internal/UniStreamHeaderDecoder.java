package dev.stamp.webtransport.internal;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicStreamChannel;

import dev.stamp.webtransport.protocol.VarInt;

/**
 * Reads the session id of a peer-opened WebTransport unidirectional stream (Netty already
 * consumed the stream type 0x54 and installed this decoder through its
 * unknown-stream-type factory), then lets the connection route the stream; the payload
 * bytes flow on when this decoder removes itself.
 */
final class UniStreamHeaderDecoder extends StreamHeaderDecoder {

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		long sessionId = VarInt.read(in);
		if (sessionId == VarInt.INCOMPLETE) {
			return;
		}
		headerComplete();
		QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
		ConnectionState.require(ctx).routePeerStream(stream, sessionId);
		if (ctx.channel().isActive()) {
			ctx.pipeline().remove(this);
		}
		else {
			in.skipBytes(in.readableBytes());
		}
	}

}
