package dev.stamp.webtransport.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.quic.QuicStreamType;

import dev.stamp.webtransport.fuzz.FuzzDurations;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;
import dev.stamp.webtransport.protocol.VarInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link UniStreamHeaderDecoder} with what follows the type (0x54) of a
 * peer-opened unidirectional stream, on a server that knows no session yet: a complete
 * session id routes the stream (to wait for a session that may still come, or refused
 * with WT_SESSION_GONE when it can never be one), a FIN before it refuses the stream as
 * malformed exactly once; the outcome does not depend on how the bytes are split; nothing
 * leaks.
 */
class UniStreamHeaderDecoderFuzzTests {

	private static final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	@FuzzTest(maxDuration = FuzzDurations.PER_TARGET)
	void routesOrRefusesUnidirectionalStreams(byte[] input) {
		StreamHeaderRun whole = StreamHeaderRun.run(2, QuicStreamType.UNIDIRECTIONAL, true, allocator,
				UniStreamHeaderDecoder::new, input, Math.max(1, input.length));
		StreamHeaderRun bytewise = StreamHeaderRun.run(2, QuicStreamType.UNIDIRECTIONAL, true, allocator,
				UniStreamHeaderDecoder::new, input, 1);
		try {
			assertThat(bytewise.outcome()).isEqualTo(whole.outcome());
			String afterBytes = whole.events.get(0);
			if (input.length == 0 || input.length < VarInt.encodedLength(input[0])) {
				assertThat(afterBytes).as("decoder waits for the session id").contains("decoder");
				assertThat(whole.count(EngineStats.MALFORMED_STREAM_HEADER)).isOne();
				assertThat(whole.events.get(1)).as("refused at FIN").contains("open=false");
				return;
			}
			whole.assertNotMalformed();
			assertThat(afterBytes).doesNotContain("decoder");
			long sessionId = VarInt.read(Unpooled.wrappedBuffer(input));
			boolean mayBeSession = (sessionId & 0x3) == 0;
			assertThat(whole.count(EngineStats.STREAM_UNKNOWN_SESSION)).isEqualTo(mayBeSession ? 0 : 1);
			assertThat(afterBytes.contains("PendingStreamHandler")).as("waits for its session").isEqualTo(mayBeSession);
			if (!mayBeSession) {
				assertThat(whole.stream.shutdowns)
					.contains("stop:0x" + Long.toHexString(Http3ErrorCodes.WT_SESSION_GONE));
			}
		}
		finally {
			whole.release();
			bytewise.release();
		}
		assertThat(allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

}
