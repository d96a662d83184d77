package dev.stamp.webtransport.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

import dev.stamp.webtransport.protocol.VarInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link VarInt#read}: every varint read from arbitrary bytes is in range,
 * consumes exactly the length its first byte announces, and re-encodes to the same bytes
 * when the input used the shortest encoding.
 */
class VarIntFuzzTests {

	private static final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	@FuzzTest(maxDuration = FuzzDurations.PER_TARGET)
	void readsVarIntsAndRewritesThemCanonically(byte[] input) {
		ByteBuf in = allocator.heapBuffer(input.length).writeBytes(input);
		ByteBuf rewritten = allocator.heapBuffer();
		try {
			while (true) {
				int start = in.readerIndex();
				long value = VarInt.read(in);
				if (value == VarInt.INCOMPLETE) {
					assertThat(in.readerIndex()).isEqualTo(start);
					assertThat(in.isReadable() ? in.readableBytes() < VarInt.encodedLength(in.getByte(start)) : true)
						.as("INCOMPLETE only when bytes are missing")
						.isTrue();
					break;
				}
				int consumed = in.readerIndex() - start;
				assertThat(value).isBetween(0L, VarInt.MAX_VALUE);
				assertThat(consumed).isEqualTo(VarInt.encodedLength(in.getByte(start)));
				assertThat(VarInt.size(value)).isLessThanOrEqualTo(consumed);
				rewritten.clear();
				VarInt.write(rewritten, value);
				assertThat(rewritten.readableBytes()).isEqualTo(VarInt.size(value));
				assertThat(VarInt.read(rewritten.duplicate())).isEqualTo(value);
				if (VarInt.size(value) == consumed) {
					assertThat(ByteBufUtil.equals(rewritten, 0, in, start, consumed))
						.as("shortest encodings re-encode to the same bytes")
						.isTrue();
				}
			}
		}
		finally {
			in.release();
			rewritten.release();
		}
		assertThat(allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

}
