package dev.stamp.boot.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import org.springframework.util.unit.DataSize;

import dev.stamp.boot.StampProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes Netty's WebSocket frame decoder as Reactor Netty configures it for Stamp's
 * WebSocket listener (masked frames required, frame payload at most
 * {@code stamp.websocket.max-message-size}), with and without Netty's
 * {@link Utf8FrameValidator}: the only failure is
 * {@link CorruptedWebSocketFrameException}, after which the client got a close frame and
 * the connection is closed; no frame is larger than the limit, control frames are final
 * and at most 125 bytes, close frames carry a valid status, text is UTF-8 when the
 * validator is there; nothing leaks.
 */
class WebSocketFrameDecoderFuzzTests {

	/** Small enough that libFuzzer's inputs (4 KiB at most) can cross it. */
	private static final int MAX_MESSAGE_SIZE = 1024;

	private static final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	@FuzzTest(maxDuration = FuzzDurations.PER_TARGET)
	void decodesClientFrames(byte[] input) {
		decode(input, false);
		decode(input, true);
		assertThat(allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

	/**
	 * The WebSocket pipeline of a Stamp connection after the upgrade. Reactor Netty 1.3.7
	 * builds its decoder with
	 * {@code new WebSocketServerHandshakerFactory(url, protocols, true, maxFramePayloadLength)}
	 * and adds no {@link Utf8FrameValidator} (only Netty's WebSocketServerProtocolHandler
	 * does); frame guards are added here.
	 */
	static void stampWebSocketPipeline(ChannelPipeline pipeline, StampProperties.WebSocket properties,
			boolean utf8Validator) {
		WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
			.allowExtensions(true)
			.maxFramePayloadLength((int) properties.getMaxMessageSize().toBytes())
			.allowMaskMismatch(false)
			.build();
		pipeline.addLast(new WebSocket13FrameDecoder(config));
		if (utf8Validator) {
			pipeline.addLast(new Utf8FrameValidator(config.closeOnProtocolViolation()));
		}
	}

	private static void decode(byte[] input, boolean utf8Validator) {
		StampProperties.WebSocket properties = new StampProperties.WebSocket();
		properties.setMaxMessageSize(DataSize.ofBytes(MAX_MESSAGE_SIZE));
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.config().setAllocator(allocator);
		stampWebSocketPipeline(channel.pipeline(), properties, utf8Validator);
		channel.pipeline().addLast(new DropFramesAfterClose());
		TextChecker text = new TextChecker(utf8Validator);
		try {
			channel.writeInbound(allocator.heapBuffer(input.length).writeBytes(input));
			channel.finish();
		}
		catch (CorruptedWebSocketFrameException ex) {
			assertThat(channel.isActive()).as("closed after a protocol violation").isFalse();
			Object reply = channel.readOutbound();
			try {
				assertThat(reply).as("close frame sent to the client")
					.isInstanceOfAny(CloseWebSocketFrame.class, ByteBuf.class);
			}
			finally {
				ReferenceCountUtil.release(reply);
			}
		}
		try {
			for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
				try {
					check((WebSocketFrame) message, text);
				}
				finally {
					ReferenceCountUtil.release(message);
				}
			}
		}
		finally {
			text.release();
			channel.finishAndReleaseAll();
		}
	}

	private static void check(WebSocketFrame frame, TextChecker text) {
		int length = frame.content().readableBytes();
		assertThat(length).as("frame payload").isLessThanOrEqualTo(MAX_MESSAGE_SIZE);
		if (frame instanceof CloseWebSocketFrame close) {
			assertThat(length).isLessThanOrEqualTo(125).isNotEqualTo(1);
			if (length >= 2) {
				assertThat(WebSocketCloseStatus.isValidStatusCode(close.statusCode()))
					.as("close status %d", close.statusCode())
					.isTrue();
			}
		}
		if (!(frame instanceof TextWebSocketFrame || frame instanceof ContinuationWebSocketFrame
				|| frame instanceof BinaryWebSocketFrame)) {
			assertThat(frame.isFinalFragment()).as("control frames are final").isTrue();
			assertThat(length).as("control frame payload").isLessThanOrEqualTo(125);
		}
		text.accept(frame);
	}

	/**
	 * Stands for the application: WebSocket08FrameDecoder goes on decoding the rest of a
	 * read after a handler behind it (the UTF-8 validator) rejected a frame and closed
	 * the channel, so frames that arrive on a closed channel are not the application's
	 * and are only released.
	 */
	private static final class DropFramesAfterClose extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (ctx.channel().isActive()) {
				ctx.fireChannelRead(msg);
			}
			else {
				ReferenceCountUtil.release(msg);
			}
		}

	}

	/**
	 * Joins text messages and checks they are UTF-8 when the validator is in the
	 * pipeline.
	 */
	private static final class TextChecker {

		private final boolean validated;

		private ByteBuf message;

		TextChecker(boolean validated) {
			this.validated = validated;
		}

		void accept(WebSocketFrame frame) {
			if (frame instanceof TextWebSocketFrame) {
				this.message = allocator.heapBuffer();
			}
			else if (!(frame instanceof ContinuationWebSocketFrame) || this.message == null) {
				return;
			}
			this.message.writeBytes(frame.content(), frame.content().readerIndex(), frame.content().readableBytes());
			if (frame.isFinalFragment()) {
				try {
					if (this.validated) {
						assertUtf8(this.message.nioBuffer());
					}
				}
				finally {
					this.message.release();
					this.message = null;
				}
			}
		}

		/** Frees a message cut off by the end of the input. */
		void release() {
			if (this.message != null) {
				this.message.release();
				this.message = null;
			}
		}

		private static void assertUtf8(ByteBuffer bytes) {
			try {
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(bytes);
			}
			catch (CharacterCodingException ex) {
				throw new AssertionError("Text message passed the UTF-8 validator but is not UTF-8", ex);
			}
		}

	}

}
