package dev.stamp.core.testing;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Netty's leak detector reports a leaked buffer.
 * <p>
 * Netty only logs leaks (at ERROR, through {@link ResourceLeakDetector}'s logger), and
 * only when a leaked object is found garbage-collected during a later allocation. After
 * each test this extension forces a few GC rounds, allocates and releases buffers to make
 * the detector drain its queue, and fails the test if a "LEAK:" report was logged
 * meanwhile. Registered for every test through JUnit's extension auto-detection.
 */
public class LeakDetectionExtension implements BeforeAllCallback, AfterEachCallback {

	private static final LeakCapture capture = install();

	@Override
	public void beforeAll(ExtensionContext context) {
		if (ResourceLeakDetector.getLevel().ordinal() < ResourceLeakDetector.Level.ADVANCED.ordinal()) {
			ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		}
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		List<String> leaks = collectLeaks();
		if (!leaks.isEmpty()) {
			throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported during " + context.getDisplayName()
					+ ":\n" + String.join("\n\n", leaks));
		}
	}

	/**
	 * Makes the detector report what was leaked so far and returns (and forgets) the
	 * reports.
	 */
	public static List<String> collectLeaks() throws InterruptedException {
		for (int round = 0; round < 3; round++) {
			System.gc();
			Thread.sleep(20);
			for (int i = 0; i < 64; i++) {
				ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
				pooled.release();
				ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
				unpooled.release();
			}
		}
		return capture.drain();
	}

	private static LeakCapture install() {
		LeakCapture appender = new LeakCapture();
		Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
		appender.setContext(logger.getLoggerContext());
		appender.start();
		logger.addAppender(appender);
		return appender;
	}

	private static final class LeakCapture extends AppenderBase<ILoggingEvent> {

		private final List<String> leaks = new ArrayList<>();

		@Override
		protected synchronized void append(ILoggingEvent event) {
			if (event.getFormattedMessage().contains("LEAK:")) {
				this.leaks.add(event.getFormattedMessage());
			}
		}

		synchronized List<String> drain() {
			List<String> result = new ArrayList<>(this.leaks);
			this.leaks.clear();
			return result;
		}

	}

}
