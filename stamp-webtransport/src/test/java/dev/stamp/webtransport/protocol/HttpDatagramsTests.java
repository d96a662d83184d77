package dev.stamp.webtransport.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpDatagramsTests {

	@Test
	void prefixIsTheQuarterStreamId() {
		ByteBuf datagram = HttpDatagrams.encode(ByteBufAllocator.DEFAULT, 400, new byte[] { 9, 8, 7 });
		try {
			assertThat(datagram.getByte(0)).isEqualTo((byte) 0x40); // 100 needs two bytes
			assertThat(datagram.getByte(1)).isEqualTo((byte) 100);
			assertThat(HttpDatagrams.prefixLength(400)).isEqualTo(2);
			assertThat(HttpDatagrams.readSessionId(datagram)).isEqualTo(400);
			assertThat(ByteBufUtil.getBytes(datagram)).containsExactly(9, 8, 7);
		}
		finally {
			datagram.release();
		}
	}

	@Test
	void truncatedPrefixIsReported() {
		ByteBuf truncated = Unpooled.wrappedBuffer(new byte[] { (byte) 0xc0, 0, 0 });
		try {
			assertThat(HttpDatagrams.readSessionId(truncated)).isEqualTo(-1);
			assertThat(HttpDatagrams.readSessionId(Unpooled.EMPTY_BUFFER)).isEqualTo(-1);
		}
		finally {
			truncated.release();
		}
	}

}
