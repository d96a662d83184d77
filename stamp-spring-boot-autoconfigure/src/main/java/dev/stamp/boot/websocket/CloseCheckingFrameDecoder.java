package dev.stamp.boot.websocket;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;

/**
 * Netty's RFC 6455 frame decoder, with the close frame's body checked the way RFC 6455
 * 7.4 asks and answered with a close frame. Netty's own check accepts every code from
 * 3000 up (5000 and above included) and, as it runs after the peer's close frame has been
 * seen, fails the connection without any close frame; a client then cannot tell a bad
 * code (1002) from a close reason that is not UTF-8 (1007).
 */
final class CloseCheckingFrameDecoder extends WebSocket13FrameDecoder {

	private CloseCheckingFrameDecoder(WebSocketDecoderConfig config) {
		super(config);
	}

	/**
	 * Replaces the decoder Reactor Netty's handshake installed, before it has read
	 * anything of the new connection.
	 * @param pipeline the upgraded connection's pipeline
	 * @param maxFramePayloadLength the largest frame payload accepted
	 */
	static void install(ChannelPipeline pipeline, int maxFramePayloadLength) {
		ChannelHandlerContext installed = pipeline.context(WebSocketFrameDecoder.class);
		if (installed == null) {
			return;
		}
		// Reactor Netty's handshaker allows extensions; reserved bits are checked after
		// any extension decoder.
		WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
			.expectMaskedFrames(true)
			.allowExtensions(true)
			.maxFramePayloadLength(maxFramePayloadLength)
			.build();
		pipeline.replace(installed.name(), installed.name(), new CloseCheckingFrameDecoder(config));
	}

	@Override
	protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf body) {
		// A body of one byte never gets here: the decoder refuses its header with 1002.
		if (body == null || body.readableBytes() < 2) {
			return;
		}
		int code = body.getUnsignedShort(body.readerIndex());
		if (!isValidCloseCode(code)) {
			fail(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "Invalid close code " + code);
		}
		if (!isUtf8(body, body.readerIndex() + 2, body.readableBytes() - 2)) {
			fail(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "Close reason is not UTF-8");
		}
	}

	/**
	 * RFC 6455 7.4.1 and 7.4.2: 1000-1003 and 1007-1014 are defined, 3000-4999 registered
	 * or private.
	 * @param code a close code
	 * @return {@code true} if a peer may send it
	 */
	static boolean isValidCloseCode(int code) {
		return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
	}

	private static boolean isUtf8(ByteBuf buffer, int index, int length) {
		try {
			StandardCharsets.UTF_8.newDecoder().decode(buffer.nioBuffer(index, length));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	/**
	 * Sends the close frame Netty would leave out, then fails the decoder like Netty's
	 * own checks do.
	 * @param ctx the decoder's context
	 * @param status the close status to send
	 * @param reason the reason sent in the close frame and the exception
	 */
	private static void fail(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
		if (ctx.channel().isActive()) {
			ctx.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
		}
		throw new CorruptedWebSocketFrameException(status, reason);
	}

}
