package dev.stamp.webtransport.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

import dev.stamp.webtransport.protocol.HttpDatagrams;
import dev.stamp.webtransport.protocol.VarInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the quarter-stream-id prefix of received HTTP datagrams:
 * {@link HttpDatagrams#readSessionId} gives either {@code -1} for a truncated or
 * out-of-range prefix, or a client bidirectional stream id with the reader at the
 * payload; encoding that session id and payload gives the datagram back when its prefix
 * was in the shortest encoding.
 */
class HttpDatagramsFuzzTests {

	private static final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);

	@FuzzTest(maxDuration = FuzzDurations.PER_TARGET)
	void readsDatagramPrefixes(byte[] datagram) {
		ByteBuf in = allocator.directBuffer(datagram.length).writeBytes(datagram);
		try {
			long sessionId = HttpDatagrams.readSessionId(in);
			if (sessionId == -1) {
				boolean truncated = datagram.length == 0 || datagram.length < VarInt.encodedLength(datagram[0]);
				boolean outOfRange = !truncated && VarInt.encodedLength(datagram[0]) == 8
						&& (in.getLong(0) & 0x3FFFFFFFFFFFFFFFL) > (VarInt.MAX_VALUE >>> 2);
				assertThat(truncated || outOfRange).as("-1 only for a truncated or out-of-range prefix").isTrue();
			}
			else {
				assertThat(sessionId).isBetween(0L, VarInt.MAX_VALUE);
				assertThat(sessionId & 0x3).as("a client-initiated bidirectional stream").isZero();
				int prefix = in.readerIndex();
				assertThat(prefix).isEqualTo(VarInt.encodedLength(datagram[0]));
				byte[] payload = ByteBufUtil.getBytes(in);
				ByteBuf encoded = HttpDatagrams.encode(allocator, sessionId, payload);
				try {
					assertThat(encoded.readableBytes())
						.isEqualTo(HttpDatagrams.prefixLength(sessionId) + payload.length);
					if (HttpDatagrams.prefixLength(sessionId) == prefix) {
						assertThat(ByteBufUtil.getBytes(encoded)).isEqualTo(datagram);
					}
					assertThat(HttpDatagrams.readSessionId(encoded)).isEqualTo(sessionId);
				}
				finally {
					encoded.release();
				}
			}
		}
		finally {
			in.release();
		}
		assertThat(allocator.metric().usedDirectMemory()).as("bytes still allocated").isZero();
	}

}
