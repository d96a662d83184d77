package dev.stamp.core;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the executor that runs blocking user handlers, so that no user code ever blocks
 * a Netty event loop.
 * <p>
 * On Java 21 and later every task gets its own virtual thread: a blocking {@code read()}
 * costs a few hundred bytes, not a platform thread. On Java 17 it is a bounded pool of
 * platform threads whose queue is bounded too, so an overload surfaces as a
 * {@link java.util.concurrent.RejectedExecutionException} the caller turns into a clean
 * refusal instead of unbounded memory. The code is compiled for Java 17, so the
 * virtual-thread API is reached reflectively.
 */
public final class BlockingHandlerExecutor {

	private static final Logger logger = LoggerFactory.getLogger(BlockingHandlerExecutor.class);

	private BlockingHandlerExecutor() {
	}

	/**
	 * Creates the executor that runs blocking handlers off the event loop.
	 * @param threadNamePrefix prefix of the thread names, for example
	 * {@code "stamp-tcp-"}
	 * @param maxPlatformThreads the pool's size where virtual threads are not available
	 * @param queueCapacity how many tasks may wait for a platform thread before new ones
	 * are rejected
	 * @return a new executor; the caller shuts it down
	 */
	public static ExecutorService create(String threadNamePrefix, int maxPlatformThreads, int queueCapacity) {
		ExecutorService virtual = virtualThreadPerTask(threadNamePrefix);
		if (virtual != null) {
			return virtual;
		}
		logger.debug("Virtual threads unavailable on Java {}; blocking handlers use a pool of {} threads",
				Runtime.version().feature(), maxPlatformThreads);
		ThreadPoolExecutor pool = new ThreadPoolExecutor(maxPlatformThreads, maxPlatformThreads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(queueCapacity), platformThreads(threadNamePrefix));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/**
	 * Whether {@link #create} hands out virtual threads on this JVM.
	 * @return {@code true} on a JVM with virtual threads (Java 21 and later)
	 */
	public static boolean virtualThreadsAvailable() {
		return Runtime.version().feature() >= 21;
	}

	private static @Nullable ExecutorService virtualThreadPerTask(String threadNamePrefix) {
		if (!virtualThreadsAvailable()) {
			return null;
		}
		try {
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, threadNamePrefix, 0L);
			// Copying the event loop's inheritable thread locals into every handler
			// call's thread showed in profiles, and a handler has no business seeing
			// them.
			builder = builderType.getMethod("inheritInheritableThreadLocals", boolean.class).invoke(builder, false);
			ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
			Method perTask = java.util.concurrent.Executors.class.getMethod("newThreadPerTaskExecutor",
					ThreadFactory.class);
			return (ExecutorService) perTask.invoke(null, factory);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn("Could not create virtual threads on Java {}; falling back to a bounded pool",
					Runtime.version().feature(), ex);
			return null;
		}
	}

	private static ThreadFactory platformThreads(String prefix) {
		AtomicLong counter = new AtomicLong();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + counter.getAndIncrement());
			thread.setDaemon(true);
			return thread;
		};
	}

}
