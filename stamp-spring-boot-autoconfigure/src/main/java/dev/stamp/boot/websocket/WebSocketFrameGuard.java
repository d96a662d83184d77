package dev.stamp.boot.websocket;

import java.util.zip.DataFormatException;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import dev.stamp.core.PeerErrors;

/**
 * Fails a WebSocket connection on the protocol violations that reach it, and counts every
 * violation once.
 * <p>
 * The frame decoder ({@link CloseCheckingFrameDecoder}) checks opcodes, masking, lengths,
 * control frames, fragmentation and close frames, and Netty's {@code Utf8FrameValidator}
 * checks text; both send their own close frame (1002, 1007, 1009) and throw, and this
 * handler, after them in the pipeline, only counts. What it checks itself is what Reactor
 * Netty's setup leaves open: reserved bits (its handshaker always allows extensions, so
 * RSV1-3 pass the decoder even when none was negotiated; permessage-deflate, when
 * negotiated, clears RSV1 before this handler) and inflated frames over the limit or
 * corrupt. Once failed, the connection's remaining frames are dropped so that nothing
 * after a violation reaches the handler method.
 */
final class WebSocketFrameGuard extends ChannelInboundHandlerAdapter {

	static final String NAME = "stamp.wsFrameGuard";

	private final PeerErrors peerErrors;

	private boolean failed;

	WebSocketFrameGuard(PeerErrors peerErrors) {
		this.peerErrors = peerErrors;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.failed) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (msg instanceof WebSocketFrame frame) {
			if (frame.rsv() != 0) {
				frame.release();
				fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "reserved-bits",
						"reserved bits " + frame.rsv() + " set that no extension defines");
				return;
			}
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof CorruptedWebSocketFrameException violation) {
			// Netty's decoder or UTF-8 validator has already sent its close frame and
			// closes the connection.
			if (!this.failed) {
				this.failed = true;
				int status = violation.closeStatus().code();
				this.peerErrors.record(kindOf(status), ctx.channel().remoteAddress(),
						violation.getMessage() + "; closed with " + status, cause);
			}
			return;
		}
		if (cause instanceof DecompressionException) {
			if (cause.getCause() instanceof DataFormatException) {
				fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "bad-deflate", "compressed data is corrupt");
			}
			else {
				fail(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "inflated-too-big",
						"a compressed frame inflates past max-message-size");
			}
			return;
		}
		ctx.fireExceptionCaught(cause);
	}

	private static String kindOf(int status) {
		if (status == WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code()) {
			return "invalid-utf8";
		}
		if (status == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
			return "message-too-big";
		}
		return "protocol-error";
	}

	private void fail(ChannelHandlerContext ctx, WebSocketCloseStatus status, String kind, String detail) {
		if (this.failed) {
			return;
		}
		this.failed = true;
		this.peerErrors.record(kind, ctx.channel().remoteAddress(), detail + "; closed with " + status.code());
		if (ctx.channel().isActive()) {
			ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
		}
	}

}
