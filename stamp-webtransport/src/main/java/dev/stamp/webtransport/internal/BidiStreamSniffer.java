package dev.stamp.webtransport.internal;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.quic.QuicStreamChannel;

import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.protocol.StreamTypes;
import dev.stamp.webtransport.protocol.VarInt;

/**
 * Sits first in the pipeline of every peer-opened bidirectional stream and reads its
 * first varint.
 * <p>
 * On {@code 0x41} (WebTransport stream signal) it reads the session id, removes the
 * HTTP/3 request handlers that Netty installed behind it (they would read 0x41 as an
 * unknown frame whose "length" is the session id and swallow the payload), and lets the
 * connection route the stream; bytes after the header flow on when this decoder removes
 * itself. Anything else is an HTTP/3 request: on a server the decoder steps aside
 * untouched (bytes flow on to the codec); on a client it is refused, since servers may
 * not open request streams.
 */
final class BidiStreamSniffer extends StreamHeaderDecoder {

	private final boolean server;

	BidiStreamSniffer(boolean server) {
		this.server = server;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		int start = in.readerIndex();
		long first = VarInt.read(in);
		if (first == VarInt.INCOMPLETE) {
			return;
		}
		QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
		ConnectionState connection = ConnectionState.require(ctx);
		if (first != StreamTypes.BIDI_SIGNAL) {
			headerComplete();
			in.readerIndex(start);
			if (this.server) {
				connection.requestStreamOpened(stream.streamId());
				ctx.pipeline().remove(this);
			}
			else {
				connection.peerError(EngineStats.BAD_SERVER_STREAM,
						"server opened a bidirectional stream that is not a WebTransport stream; reset with "
								+ "H3_STREAM_CREATION_ERROR");
				in.skipBytes(in.readableBytes());
				SessionImpl.abortChannel(stream, Http3ErrorCodes.H3_STREAM_CREATION_ERROR);
			}
			return;
		}
		long sessionId = VarInt.read(in);
		if (sessionId == VarInt.INCOMPLETE) {
			in.readerIndex(start);
			return;
		}
		headerComplete();
		removeHttp3Handlers(ctx);
		stream.config().setAllowHalfClosure(true);
		connection.routePeerStream(stream, sessionId);
		if (ctx.channel().isActive()) {
			ctx.pipeline().remove(this);
		}
		else {
			in.skipBytes(in.readableBytes());
		}
	}

	private static void removeHttp3Handlers(ChannelHandlerContext ctx) {
		ChannelPipeline pipeline = ctx.pipeline();
		boolean afterMe = false;
		for (String name : pipeline.names()) {
			ChannelHandlerContext other = pipeline.context(name);
			if (other == null) {
				continue; // the tail has a name but no removable context
			}
			if (other == ctx) {
				afterMe = true;
				continue;
			}
			if (afterMe) {
				ChannelHandler handler = other.handler();
				pipeline.remove(handler);
			}
		}
	}

}
