package dev.stamp.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlockingHandlerExecutorTests {

	@Test
	void runsTasksOnThreadsNamedAfterThePrefixAndVirtualWhereAvailable() throws Exception {
		ExecutorService executor = BlockingHandlerExecutor.create("stamp-test-", 4, 16);
		try {
			Future<Thread> thread = executor.submit(Thread::currentThread);
			Thread handlerThread = thread.get(10, TimeUnit.SECONDS);
			assertThat(handlerThread.getName()).startsWith("stamp-test-");
			assertThat(isVirtual(handlerThread)).isEqualTo(BlockingHandlerExecutor.virtualThreadsAvailable());
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static boolean isVirtual(Thread thread) throws Exception {
		if (Runtime.version().feature() < 21) {
			return false;
		}
		return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
	}

}
