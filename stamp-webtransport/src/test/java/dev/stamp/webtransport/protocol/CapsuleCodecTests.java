package dev.stamp.webtransport.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CapsuleCodecTests {

	private final CapsuleCodec codec = new CapsuleCodec(ByteBufAllocator.DEFAULT);

	private final List<Capsule> decoded = new ArrayList<>();

	@AfterEach
	void release() {
		this.codec.release();
	}

	@Test
	void closeRoundTripsEvenOneByteAtATime() throws CapsuleException {
		ByteBuf encoded = CapsuleCodec.encode(ByteBufAllocator.DEFAULT, new Capsule.Close(0xfffffffeL, "bye ✓"));
		try {
			while (encoded.isReadable()) {
				ByteBuf one = encoded.readRetainedSlice(1);
				try {
					this.codec.decode(one, this.decoded::add);
				}
				finally {
					one.release();
				}
			}
		}
		finally {
			encoded.release();
		}
		this.codec.endOfInput();
		assertThat(this.decoded).containsExactly(new Capsule.Close(0xfffffffeL, "bye ✓"));
	}

	@Test
	void drainAndUnknownCapsulesInOneChunk() throws CapsuleException {
		ByteBuf in = Unpooled.buffer();
		try {
			VarInt.write(in, 0x1234); // unknown type
			VarInt.write(in, 3);
			in.writeBytes(new byte[] { 1, 2, 3 });
			ByteBuf drain = CapsuleCodec.encode(ByteBufAllocator.DEFAULT, new Capsule.Drain());
			in.writeBytes(drain);
			drain.release();
			this.codec.decode(in, this.decoded::add);
		}
		finally {
			in.release();
		}
		assertThat(this.decoded).containsExactly(new Capsule.Drain());
	}

	@Test
	void unknownCapsuleIsSkippedAcrossChunksWithoutBuffering() throws CapsuleException {
		ByteBuf header = Unpooled.buffer();
		VarInt.write(header, 0x00); // DATAGRAM capsule: unknown to this codec
		VarInt.write(header, 100_000);
		feed(header);
		for (int i = 0; i < 100; i++) {
			feed(Unpooled.wrappedBuffer(new byte[1000]));
		}
		feed(CapsuleCodec.encode(ByteBufAllocator.DEFAULT, new Capsule.Close(7, "")));
		this.codec.endOfInput();
		assertThat(this.decoded).containsExactly(new Capsule.Close(7, ""));
	}

	@Test
	void malformedCapsulesAreRejected() {
		assertMalformed(0x2843, new byte[] { 0, 0 }); // shorter than the code
		assertMalformed(0x78ae, new byte[] { 1 }); // drain with payload
	}

	@Test
	void overlongCloseIsRejectedBeforeItsPayloadArrives() {
		ByteBuf in = Unpooled.buffer();
		VarInt.write(in, Capsule.CLOSE_WEBTRANSPORT_SESSION);
		VarInt.write(in, 4 + 1025);
		assertThatExceptionOfType(CapsuleException.class).isThrownBy(() -> feed(in)).withMessageContaining("too long");
	}

	@Test
	void invalidUtf8ReasonIsRejected() {
		ByteBuf in = Unpooled.buffer();
		VarInt.write(in, Capsule.CLOSE_WEBTRANSPORT_SESSION);
		VarInt.write(in, 6);
		in.writeInt(1).writeByte(0xc3).writeByte(0x28);
		assertThatExceptionOfType(CapsuleException.class).isThrownBy(() -> feed(in)).withMessageContaining("UTF-8");
	}

	@Test
	void truncatedCapsuleAtEndOfInputIsAnError() throws CapsuleException {
		ByteBuf encoded = CapsuleCodec.encode(ByteBufAllocator.DEFAULT, new Capsule.Close(1, "truncated"));
		encoded.writerIndex(encoded.writerIndex() - 3);
		feed(encoded);
		assertThat(this.decoded).isEmpty();
		assertThatExceptionOfType(CapsuleException.class).isThrownBy(this.codec::endOfInput);
	}

	@Test
	void truncatedVarintHeaderWaitsForMoreBytes() throws CapsuleException {
		feed(Unpooled.wrappedBuffer(new byte[] { (byte) 0x80, 0x00 })); // first half of a
																		// 4-byte type
		assertThat(this.decoded).isEmpty();
		feed(Unpooled.wrappedBuffer(new byte[] { 0x78, (byte) 0xae, 0x00 }));
		assertThat(this.decoded).containsExactly(new Capsule.Drain());
	}

	@Test
	void encodingRefusesOverlongReasonsAndCodes() {
		String reason = "x".repeat(1025);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CapsuleCodec.encode(ByteBufAllocator.DEFAULT, new Capsule.Close(0, reason)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CapsuleCodec.encode(ByteBufAllocator.DEFAULT, new Capsule.Close(1L << 32, "")));
		ByteBuf max = CapsuleCodec.encode(ByteBufAllocator.DEFAULT, new Capsule.Close(0, "é".repeat(512)));
		assertThat(max.toString(StandardCharsets.UTF_8)).endsWith("é".repeat(512));
		max.release();
	}

	private void assertMalformed(long type, byte[] payload) {
		CapsuleCodec fresh = new CapsuleCodec(ByteBufAllocator.DEFAULT);
		ByteBuf in = Unpooled.buffer();
		try {
			VarInt.write(in, type);
			VarInt.write(in, payload.length);
			in.writeBytes(payload);
			assertThatExceptionOfType(CapsuleException.class).isThrownBy(() -> fresh.decode(in, this.decoded::add));
		}
		finally {
			in.release();
			fresh.release();
		}
	}

	private void feed(ByteBuf in) throws CapsuleException {
		try {
			this.codec.decode(in, this.decoded::add);
		}
		finally {
			in.release();
		}
	}

}
