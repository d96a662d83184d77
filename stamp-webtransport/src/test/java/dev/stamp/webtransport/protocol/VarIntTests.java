package dev.stamp.webtransport.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VarIntTests {

	@Test
	void roundTripsAtEveryLengthBoundary() {
		long[] values = { 0, 63, 64, 16383, 16384, 1073741823, 1073741824, VarInt.MAX_VALUE };
		int[] sizes = { 1, 1, 2, 2, 4, 4, 8, 8 };
		for (int i = 0; i < values.length; i++) {
			ByteBuf buf = Unpooled.buffer();
			try {
				VarInt.write(buf, values[i]);
				assertThat(buf.readableBytes()).isEqualTo(sizes[i]).isEqualTo(VarInt.size(values[i]));
				assertThat(VarInt.encodedLength(buf.getByte(0))).isEqualTo(sizes[i]);
				assertThat(VarInt.read(buf)).isEqualTo(values[i]);
				assertThat(buf.isReadable()).isFalse();
			}
			finally {
				buf.release();
			}
		}
	}

	@Test
	void decodesRfc9000Examples() {
		assertThat(read(0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c)).isEqualTo(151288809941952652L);
		assertThat(read(0x9d, 0x7f, 0x3e, 0x7d)).isEqualTo(494878333L);
		assertThat(read(0x7b, 0xbd)).isEqualTo(15293L);
		assertThat(read(0x25)).isEqualTo(37L);
		assertThat(read(0x40, 0x25)).isEqualTo(37L);
	}

	@Test
	void truncatedInputLeavesReaderIndexAlone() {
		ByteBuf buf = Unpooled.wrappedBuffer(new byte[] { (byte) 0x9d, 0x7f, 0x3e });
		try {
			assertThat(VarInt.read(buf)).isEqualTo(VarInt.INCOMPLETE);
			assertThat(buf.readerIndex()).isZero();
			ByteBuf empty = Unpooled.EMPTY_BUFFER;
			assertThat(VarInt.read(empty)).isEqualTo(VarInt.INCOMPLETE);
		}
		finally {
			buf.release();
		}
	}

	@Test
	void refusesValuesOutsideTheVarintRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> VarInt.size(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> VarInt.size(VarInt.MAX_VALUE + 1));
	}

	private static long read(int... bytes) {
		byte[] raw = new byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			raw[i] = (byte) bytes[i];
		}
		ByteBuf buf = Unpooled.wrappedBuffer(raw);
		try {
			return VarInt.read(buf);
		}
		finally {
			buf.release();
		}
	}

}
