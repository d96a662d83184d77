package dev.stamp.boot.listener;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BlockingCall}, through {@link BlockingHandlerScheduler#call}: where
 * the call runs, where its outcome is signalled, and what cancelling does.
 */
class BlockingCallTests {

	private final BlockingHandlerScheduler blocking = new BlockingHandlerScheduler(2, 2);

	private final ExecutorService eventLoop = Executors.newSingleThreadExecutor((task) -> new Thread(task, "loop"));

	@AfterEach
	void shutDown() throws InterruptedException {
		this.blocking.destroy();
		this.eventLoop.shutdownNow();
	}

	@Test
	void runsTheCallOffTheCallerAndSignalsTheResultOnTheResumeExecutor() {
		AtomicReference<Thread> callThread = new AtomicReference<>();
		AtomicReference<String> signalThread = new AtomicReference<>();
		Mono<String> call = this.blocking.call(() -> {
			callThread.set(Thread.currentThread());
			return "answer";
		}, this.eventLoop).doOnNext((value) -> signalThread.set(Thread.currentThread().getName()));
		StepVerifier.create(call).expectNext("answer").expectComplete().verify(Duration.ofSeconds(5));
		assertThat(callThread.get()).isNotEqualTo(Thread.currentThread());
		assertThat(callThread.get().getName()).startsWith("stamp-handler-");
		assertThat(signalThread.get()).isEqualTo("loop");
	}

	@Test
	void nullResultCompletesEmptyOnTheResumeExecutor() {
		AtomicReference<String> signalThread = new AtomicReference<>();
		Mono<Object> call = this.blocking.call(() -> null, this.eventLoop)
			.doOnSuccess((value) -> signalThread.set(Thread.currentThread().getName()));
		StepVerifier.create(call).expectComplete().verify(Duration.ofSeconds(5));
		assertThat(signalThread.get()).isEqualTo("loop");
	}

	@Test
	void failureIsSignalledOnTheResumeExecutor() {
		AtomicReference<String> signalThread = new AtomicReference<>();
		Mono<Object> call = this.blocking.call(() -> {
			throw new IllegalStateException("handler failed");
		}, this.eventLoop).doOnError((error) -> signalThread.set(Thread.currentThread().getName()));
		StepVerifier.create(call)
			.expectErrorSatisfies((error) -> assertThat(error).hasMessage("handler failed"))
			.verify(Duration.ofSeconds(5));
		assertThat(signalThread.get()).isEqualTo("loop");
	}

	@Test
	void eachSubscriptionMakesTheCallAgain() {
		int[] calls = new int[1];
		Mono<Integer> call = this.blocking.call(() -> ++calls[0], this.eventLoop);
		assertThat(call.block(Duration.ofSeconds(5))).isEqualTo(1);
		assertThat(call.block(Duration.ofSeconds(5))).isEqualTo(2);
	}

	@Test
	void cancellingARunningCallInterruptsItsThreadAndSignalsNothing() throws InterruptedException {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		AtomicReference<Object> signalled = new AtomicReference<>();
		Disposable subscription = this.blocking.call(() -> {
			running.countDown();
			try {
				Thread.sleep(30_000);
				return "slept";
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
				throw ex;
			}
		}, this.eventLoop).subscribe(signalled::set, signalled::set, () -> signalled.set("completed"));
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		subscription.dispose();
		assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
		// Let a stray signal, were there one, reach the resume executor and run.
		this.eventLoop.submit(() -> null);
		this.eventLoop.shutdown();
		assertThat(this.eventLoop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(signalled.get()).isNull();
	}

	@Test
	void cancellingBeforeTheCallStartsSkipsIt() throws InterruptedException {
		ThreadPoolExecutor oneThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
		try {
			CountDownLatch release = new CountDownLatch(1);
			oneThread.execute(() -> {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			int[] calls = new int[1];
			Disposable subscription = new BlockingCall<>(() -> ++calls[0], oneThread, this.eventLoop).subscribe();
			subscription.dispose();
			release.countDown();
			oneThread.shutdown();
			assertThat(oneThread.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
			assertThat(calls[0]).isZero();
		}
		finally {
			oneThread.shutdownNow();
		}
	}

	@Test
	void rejectedCallFailsOnTheSubscribingThread() {
		ThreadPoolExecutor full = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>());
		full.shutdown();
		AtomicReference<Thread> signalThread = new AtomicReference<>();
		Mono<String> call = new BlockingCall<String>(() -> "never", full, this.eventLoop)
			.doOnError((error) -> signalThread.set(Thread.currentThread()));
		StepVerifier.create(call).expectError(RejectedExecutionException.class).verify(Duration.ofSeconds(5));
		assertThat(signalThread.get()).isEqualTo(Thread.currentThread());
	}

	@Test
	void resumeExecutorThatRefusesLeavesTheHandlerThreadAlone() throws InterruptedException {
		AtomicReference<Throwable> escaped = new AtomicReference<>();
		CountDownLatch called = new CountDownLatch(1);
		ExecutorService handlerThreads = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "handler");
			thread.setUncaughtExceptionHandler((t, error) -> escaped.set(error));
			return thread;
		});
		ExecutorService closedLoop = Executors.newSingleThreadExecutor();
		closedLoop.shutdown();
		try {
			new BlockingCall<String>(() -> {
				called.countDown();
				return "answer";
			}, handlerThreads::execute, closedLoop).subscribe();
			assertThat(called.await(5, TimeUnit.SECONDS)).isTrue();
			handlerThreads.shutdown();
			assertThat(handlerThreads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
			assertThat(escaped.get()).isNull();
		}
		finally {
			handlerThreads.shutdownNow();
		}
	}

}
