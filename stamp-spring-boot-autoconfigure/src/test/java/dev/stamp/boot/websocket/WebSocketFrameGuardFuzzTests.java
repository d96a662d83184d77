package dev.stamp.boot.websocket;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.stamp.boot.fuzz.FuzzDurations;
import dev.stamp.boot.fuzz.QuietStampLogs;
import dev.stamp.core.PeerErrors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the frame checks Stamp's WebSocket listener puts behind Reactor Netty's decoder,
 * in the listener's order ({@link CloseCheckingFrameDecoder} in the decoder's place,
 * Netty's {@link Utf8FrameValidator}, {@link WebSocketFrameGuard}): whatever the bytes,
 * no exception reaches the end of the pipeline (a violation is answered with a close
 * frame, counted, and the connection closed), and the application sees only frames
 * without reserved bits, close frames with a code RFC 6455 7.4 allows and a UTF-8 reason,
 * whole text messages that are UTF-8, and nothing once a violation was found; nothing
 * leaks.
 */
@ExtendWith(QuietStampLogs.class)
class WebSocketFrameGuardFuzzTests {

	private static final int MAX_MESSAGE_SIZE = 1024;

	private static final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	@FuzzTest(maxDuration = FuzzDurations.PER_TARGET)
	void checksClientFrames(byte[] input) {
		PeerErrors peerErrors = new PeerErrors("fuzzed websocket listener");
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.config().setAllocator(allocator);
		// What Reactor Netty's handshake installs, then what WebSocketListener.session
		// puts in and behind it.
		channel.pipeline()
			.addLast(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
				.allowExtensions(true)
				.maxFramePayloadLength(MAX_MESSAGE_SIZE)
				.build()));
		CloseCheckingFrameDecoder.install(channel.pipeline(), MAX_MESSAGE_SIZE);
		channel.pipeline().addLast(new Utf8FrameValidator(true));
		channel.pipeline().addLast(new WebSocketFrameGuard(peerErrors));
		Application application = new Application(peerErrors);
		channel.pipeline().addLast(application);
		try {
			for (int offset = 0; offset < input.length && channel.isOpen(); offset += 11) {
				int length = Math.min(11, input.length - offset);
				channel.writeInbound(allocator.heapBuffer(length).writeBytes(input, offset, length));
			}
			channel.checkException();
			if (!channel.isOpen()) {
				assertThat(peerErrors.total()).as("a closed connection had a violation counted").isOne();
			}
		}
		finally {
			application.release();
			channel.finishAndReleaseAll();
		}
		assertThat(allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

	/** Stands for the route: checks every frame it is given. */
	private static final class Application extends ChannelInboundHandlerAdapter {

		private final PeerErrors peerErrors;

		private ByteBuf text;

		Application(PeerErrors peerErrors) {
			this.peerErrors = peerErrors;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				assertThat(this.peerErrors.total()).as("no frame after a violation").isZero();
				WebSocketFrame frame = (WebSocketFrame) msg;
				assertThat(frame.rsv()).as("reserved bits").isZero();
				if (frame instanceof CloseWebSocketFrame close && close.content().readableBytes() >= 2) {
					assertThat(CloseCheckingFrameDecoder.isValidCloseCode(close.statusCode()))
						.as("close code %d", close.statusCode())
						.isTrue();
					assertUtf8(close.content().slice(2, close.content().readableBytes() - 2));
				}
				collectText(frame);
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		private void collectText(WebSocketFrame frame) {
			if (frame instanceof TextWebSocketFrame) {
				release();
				this.text = allocator.heapBuffer();
			}
			else if (!(frame instanceof ContinuationWebSocketFrame) || this.text == null) {
				return;
			}
			this.text.writeBytes(frame.content(), frame.content().readerIndex(), frame.content().readableBytes());
			if (frame.isFinalFragment()) {
				try {
					assertUtf8(this.text);
				}
				finally {
					release();
				}
			}
		}

		void release() {
			if (this.text != null) {
				this.text.release();
				this.text = null;
			}
		}

		private static void assertUtf8(ByteBuf bytes) {
			try {
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(bytes.nioBuffer());
			}
			catch (CharacterCodingException ex) {
				throw new AssertionError("text that is not UTF-8 reached the application", ex);
			}
		}

	}

}
