package dev.stamp.core.testing;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that the leak check really catches a leaked buffer (otherwise "no leaks" would
 * mean nothing).
 */
class LeakDetectionExtensionTests {

	@Test
	void leakedBufferIsReported() throws InterruptedException {
		leakOneBuffer();
		List<String> leaks = List.of();
		for (int attempt = 0; attempt < 20 && leaks.isEmpty(); attempt++) {
			leaks = LeakDetectionExtension.collectLeaks();
		}
		assertThat(leaks).isNotEmpty();
		assertThat(leaks.get(0)).contains("LEAK:");
	}

	private static void leakOneBuffer() {
		ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(32);
		leaked.writeLong(42);
		// deliberately never released
	}

}
