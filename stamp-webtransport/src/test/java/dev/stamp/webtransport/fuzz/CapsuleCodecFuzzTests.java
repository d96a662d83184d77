package dev.stamp.webtransport.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import dev.stamp.webtransport.protocol.Capsule;
import dev.stamp.webtransport.protocol.CapsuleCodec;
import dev.stamp.webtransport.protocol.CapsuleException;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Fuzzes {@link CapsuleCodec} with the bytes of a CONNECT stream: the only failure is
 * {@link CapsuleException}, the result does not depend on how the bytes are split into
 * DATA frames, every decoded capsule is within its limits and round-trips through the
 * encoder, and the decoder frees its buffer.
 */
class CapsuleCodecFuzzTests {

	private static final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	@FuzzTest(maxDuration = FuzzDurations.PER_TARGET)
	void decodesConnectStreamBytesTheSameWayHoweverTheyAreSplit(byte[] input) throws CapsuleException {
		Outcome whole = decode(input, Math.max(1, input.length));
		assertThat(decode(input, 1)).isEqualTo(whole);
		assertThat(decode(input, 7)).isEqualTo(whole);
		for (Capsule capsule : whole.capsules()) {
			assertWithinLimits(capsule);
			assertThat(decode(encode(capsule), Integer.MAX_VALUE)).isEqualTo(new Outcome(List.of(capsule), null));
		}
		assertThat(allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

	private static Outcome decode(byte[] input, int chunkSize) {
		CapsuleCodec codec = new CapsuleCodec(allocator);
		List<Capsule> capsules = new ArrayList<>();
		try {
			for (int offset = 0; offset < input.length; offset += chunkSize) {
				int length = Math.min(chunkSize, input.length - offset);
				ByteBuf chunk = allocator.heapBuffer().writeBytes(input, offset, length);
				try {
					codec.decode(chunk, capsules::add);
					assertThat(chunk.isReadable()).as("decode reads its input completely").isFalse();
				}
				catch (CapsuleException ex) {
					ByteBuf more = allocator.heapBuffer();
					try {
						assertThatExceptionOfType(CapsuleException.class).as("a failed decoder stays failed")
							.isThrownBy(() -> codec.decode(more, capsules::add));
					}
					finally {
						more.release();
					}
					return new Outcome(capsules, "decode");
				}
				finally {
					assertThat(chunk.refCnt()).as("decode does not release the caller's buffer").isEqualTo(1);
					chunk.release();
				}
			}
			try {
				codec.endOfInput();
			}
			catch (CapsuleException ex) {
				return new Outcome(capsules, "endOfInput");
			}
			return new Outcome(capsules, null);
		}
		finally {
			codec.release();
		}
	}

	private static void assertWithinLimits(Capsule capsule) {
		if (capsule instanceof Capsule.Close close) {
			assertThat(close.code()).isBetween(0L, Http3ErrorCodes.MAX_APPLICATION_CODE);
			assertThat(close.reason().getBytes(StandardCharsets.UTF_8).length)
				.isLessThanOrEqualTo(Capsule.MAX_CLOSE_REASON_BYTES);
		}
		else {
			assertThat(capsule).isEqualTo(new Capsule.Drain());
		}
	}

	private static byte[] encode(Capsule capsule) {
		ByteBuf encoded = CapsuleCodec.encode(allocator, capsule);
		try {
			byte[] bytes = new byte[encoded.readableBytes()];
			encoded.readBytes(bytes);
			return bytes;
		}
		finally {
			encoded.release();
		}
	}

	/**
	 * What a decoder made of a stream: the capsules it gave, and where it failed
	 * ({@code null}: it did not).
	 */
	private record Outcome(List<Capsule> capsules, String failedIn) {
	}

}
