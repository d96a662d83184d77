package dev.stamp.webtransport.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http3.DefaultHttp3GoAwayFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.jspecify.annotations.Nullable;

import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.protocol.VarInt;

/**
 * A server's own HTTP/3 control stream once its SETTINGS are out. Netty keeps its frame
 * codec and control-stream handler on that stream for the connection's whole life, where
 * all that is left for them is one GOAWAY at shutdown; {@link #trim(QuicChannel)}
 * replaces both with this shared handler, which keeps the one duty of Netty's handler
 * that still matters (the control stream must not end while the connection lives: if it
 * does, the connection is closed with H3_CLOSED_CRITICAL_STREAM, RFC 9114 6.2.1), and
 * {@link #writeGoAway(QuicChannel, long)} writes the GOAWAY frame's bytes itself.
 */
@ChannelHandler.Sharable
public final class LocalControlStream extends ChannelInboundHandlerAdapter {

	/** The shared instance: it holds no state. */
	public static final LocalControlStream INSTANCE = new LocalControlStream();

	/** HTTP/3 frame type of GOAWAY (RFC 9114, 7.2.6). */
	private static final int GOAWAY_FRAME_TYPE = 0x07;

	/** Netty's handlers on a control stream whose SETTINGS went out, in this order. */
	private static final List<String> NETTY_HANDLERS = List.of("Http3FrameCodec", "Http3ControlStreamOutboundHandler");

	private LocalControlStream() {
	}

	/**
	 * Replaces Netty's handlers on the connection's own control stream with this one, if
	 * that stream is open and holds exactly the handlers Netty puts there once the
	 * SETTINGS frame is written; otherwise leaves it as it is. Event loop only.
	 * @param connection the QUIC connection
	 */
	public static void trim(QuicChannel connection) {
		QuicStreamChannel control = Http3.getLocalControlStream(connection);
		if (control == null || !control.isActive()) {
			return;
		}
		ChannelPipeline pipeline = control.pipeline();
		List<ChannelHandler> handlers = new ArrayList<>(2);
		List<String> kinds = new ArrayList<>(2);
		for (Map.Entry<String, ChannelHandler> entry : pipeline) {
			handlers.add(entry.getValue());
			kinds.add(entry.getValue().getClass().getSimpleName());
		}
		if (!kinds.equals(NETTY_HANDLERS)) {
			return;
		}
		// In place before Netty's leave, so that the stream is never unguarded.
		pipeline.addLast(INSTANCE);
		for (ChannelHandler handler : handlers) {
			pipeline.remove(handler);
		}
	}

	/**
	 * Sends GOAWAY on the connection's own control stream, as Netty's codec would encode
	 * it when the stream still has its handlers.
	 * @param connection the QUIC connection
	 * @param id the first request stream id that will not be processed
	 * @return the write's future, or {@code null} if the control stream is not open
	 */
	public static @Nullable ChannelFuture writeGoAway(QuicChannel connection, long id) {
		QuicStreamChannel control = Http3.getLocalControlStream(connection);
		if (control == null || !control.isActive()) {
			return null;
		}
		if (control.pipeline().context(INSTANCE) == null) {
			return control.writeAndFlush(new DefaultHttp3GoAwayFrame(id));
		}
		ByteBuf frame = control.alloc().buffer(2 + VarInt.size(id));
		VarInt.write(frame, GOAWAY_FRAME_TYPE);
		VarInt.write(frame, VarInt.size(id));
		VarInt.write(frame, id);
		return control.writeAndFlush(frame);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		if (evt instanceof ChannelInputShutdownEvent) {
			criticalStreamClosed(ctx);
		}
		ctx.fireUserEventTriggered(evt);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		criticalStreamClosed(ctx);
		ctx.fireChannelInactive();
	}

	private static void criticalStreamClosed(ChannelHandlerContext ctx) {
		QuicChannel connection = (QuicChannel) ctx.channel().parent();
		if (connection.isActive()) {
			connection.close(true, Http3ErrorCodes.H3_CLOSED_CRITICAL_STREAM,
					Unpooled.copiedBuffer("Critical stream closed.", StandardCharsets.UTF_8));
		}
	}

}
