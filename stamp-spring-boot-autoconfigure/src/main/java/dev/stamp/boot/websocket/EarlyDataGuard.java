package dev.stamp.boot.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import reactor.netty.NettyPipeline;

import dev.stamp.core.PeerErrors;

/**
 * Fails a connection whose client sent data before the handshake response, which RFC 6455
 * 4.1 forbids.
 * <p>
 * Such bytes sit in the HTTP codec when the handshake removes it; Netty then passes them
 * on as a raw buffer behind the codec's place, past the WebSocket decoder, and Reactor
 * Netty never releases it: one leaked buffer per such client. Placed right behind the
 * HTTP codec, this handler is the one that receives them. Frames and HTTP messages pass
 * through untouched.
 */
final class EarlyDataGuard extends ChannelInboundHandlerAdapter {

	static final String NAME = "stamp.wsEarlyDataGuard";

	private final PeerErrors peerErrors;

	private EarlyDataGuard(PeerErrors peerErrors) {
		this.peerErrors = peerErrors;
	}

	/**
	 * Installs the guard behind the HTTP codec of a connection about to be upgraded.
	 * @param pipeline the connection's pipeline
	 * @param peerErrors where early data is counted as a peer error
	 */
	static void install(ChannelPipeline pipeline, PeerErrors peerErrors) {
		if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(NAME) == null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new EarlyDataGuard(peerErrors));
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof ByteBuf early)) {
			ctx.fireChannelRead(msg);
			return;
		}
		early.release();
		this.peerErrors.record("early-data", ctx.channel().remoteAddress(),
				"data sent before the handshake response; closed with 1002");
		if (ctx.channel().isActive()) {
			ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR))
				.addListener(ChannelFutureListener.CLOSE);
		}
	}

}
