package dev.stamp.boot.listener;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;

import dev.stamp.core.BlockingHandlerExecutor;

/**
 * Where handlers that may block run: a virtual thread per call on Java 21+, otherwise a
 * bounded pool. Exposed as a Reactor {@link Scheduler} so that protocols can hop off the
 * event loop with {@code subscribeOn}.
 */
public class BlockingHandlerScheduler implements DisposableBean {

	private final ExecutorService executor;

	private final Scheduler scheduler;

	private final int capacity;

	public BlockingHandlerScheduler(int maxPlatformThreads, int queueCapacity) {
		this.capacity = maxPlatformThreads + queueCapacity;
		this.executor = BlockingHandlerExecutor.create("stamp-handler-", maxPlatformThreads, queueCapacity);
		this.scheduler = Schedulers.fromExecutorService(this.executor, "stamp-handler");
	}

	/**
	 * The scheduler to {@code subscribeOn} for blocking calls.
	 * @return the scheduler
	 */
	public Scheduler scheduler() {
		return this.scheduler;
	}

	/**
	 * Runs a blocking handler call off the event loop and signals its outcome on
	 * {@code resumeOn}, usually the connection's event loop, so that the answer is
	 * written from there.
	 * @param <T> the call's result type
	 * @param call the handler call; a {@code null} result completes the {@link Mono}
	 * empty
	 * @param resumeOn where the result, the error or the completion is signalled
	 * @return a cold {@link Mono} that makes the call on each subscription; cancelling it
	 * while the call runs interrupts the call's thread
	 */
	public <T> Mono<T> call(Callable<? extends @Nullable T> call, Executor resumeOn) {
		return new BlockingCall<>(call, this.executor, resumeOn);
	}

	/**
	 * Handler calls that can run or wait at once on Java 17 to 20; unbounded with virtual
	 * threads.
	 * @return how many handler calls may run or wait at once
	 */
	public int capacity() {
		return this.capacity;
	}

	/**
	 * The executor behind the scheduler, for code that is not reactive.
	 * @return the executor
	 */
	public ExecutorService executor() {
		return this.executor;
	}

	@Override
	public void destroy() throws InterruptedException {
		this.scheduler.dispose();
		this.executor.shutdown();
		this.executor.awaitTermination(5, TimeUnit.SECONDS);
	}

}
