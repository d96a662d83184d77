package dev.stamp.webtransport.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.quic.QuicStreamType;

import dev.stamp.webtransport.fuzz.FuzzDurations;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.protocol.StreamTypes;
import dev.stamp.webtransport.protocol.VarInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link BidiStreamSniffer} with the first bytes of a peer-opened bidirectional
 * stream, on a server and on a client: on a server an HTTP/3 request reaches the request
 * codec byte for byte and a WebTransport stream (0x41, session id) never does, the codec
 * being removed; a client refuses anything but 0x41 with H3_STREAM_CREATION_ERROR; a FIN
 * inside the header resets the stream with H3_FRAME_ERROR, counted once; the outcome does
 * not depend on how the bytes are split; nothing leaks.
 */
class BidiStreamSnifferFuzzTests {

	private static final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	@FuzzTest(maxDuration = FuzzDurations.PER_TARGET)
	void sniffsBidirectionalStreams(byte[] input) {
		check(input, true);
		check(input, false);
		assertThat(allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

	private static void check(byte[] input, boolean server) {
		long streamId = server ? 0 : 1;
		StreamHeaderRun whole = StreamHeaderRun.run(streamId, QuicStreamType.BIDIRECTIONAL, server, allocator,
				() -> new BidiStreamSniffer(server), input, Math.max(1, input.length));
		StreamHeaderRun bytewise = StreamHeaderRun.run(streamId, QuicStreamType.BIDIRECTIONAL, server, allocator,
				() -> new BidiStreamSniffer(server), input, 1);
		try {
			assertThat(bytewise.outcome()).isEqualTo(whole.outcome());
			Header header = Header.of(input);
			String afterBytes = whole.events.get(0);
			if (!header.complete()) {
				assertThat(whole.count(EngineStats.MALFORMED_STREAM_HEADER)).isOne();
				assertThat(whole.stream.shutdowns)
					.contains("reset:0x" + Long.toHexString(Http3ErrorCodes.H3_FRAME_ERROR));
				assertThat(whole.passedOn.readableBytes()).isZero();
				return;
			}
			whole.assertNotMalformed();
			assertThat(afterBytes).doesNotContain("decoder");
			if (header.type() != StreamTypes.BIDI_SIGNAL) {
				if (server) {
					assertThat(afterBytes).contains("request-codec");
					assertThat(ByteBufUtil.getBytes(whole.passedOn)).as("the request codec sees every byte")
						.isEqualTo(input);
				}
				else {
					assertThat(whole.count(EngineStats.BAD_SERVER_STREAM)).isOne();
					assertThat(whole.stream.shutdowns)
						.contains("reset:0x" + Long.toHexString(Http3ErrorCodes.H3_STREAM_CREATION_ERROR));
					assertThat(whole.passedOn.readableBytes()).isZero();
				}
				return;
			}
			assertThat(afterBytes).as("HTTP/3 request handlers removed").doesNotContain("request-codec");
			assertThat(whole.passedOn.readableBytes()).isZero();
			boolean mayBeSession = server && (header.sessionId() & 0x3) == 0;
			assertThat(whole.count(EngineStats.STREAM_UNKNOWN_SESSION)).isEqualTo(mayBeSession ? 0 : 1);
			assertThat(afterBytes.contains("PendingStreamHandler")).isEqualTo(mayBeSession);
		}
		finally {
			whole.release();
			bytewise.release();
		}
	}

	/** The stream header as the sniffer should read it. */
	private record Header(boolean complete, long type, long sessionId) {

		static Header of(byte[] input) {
			ByteBuf in = Unpooled.wrappedBuffer(input);
			long type = VarInt.read(in);
			if (type == VarInt.INCOMPLETE) {
				return new Header(false, -1, -1);
			}
			if (type != StreamTypes.BIDI_SIGNAL) {
				return new Header(true, type, -1);
			}
			long sessionId = VarInt.read(in);
			return new Header(sessionId != VarInt.INCOMPLETE, type, sessionId);
		}

	}

}
