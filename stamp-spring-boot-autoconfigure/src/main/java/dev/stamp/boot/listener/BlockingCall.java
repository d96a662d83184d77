package dev.stamp.boot.listener;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * A blocking handler call as a {@link Mono}: the call runs on the blocking executor and
 * its outcome is signalled on the connection's event loop.
 * <p>
 * This is {@code subscribeOn(blocking).publishOn(eventLoop)} with exactly two thread
 * hand-offs and none of the scheduler bookkeeping (worker, future and task wrappers per
 * call) that made a blocking HTTP request cost half again as much server CPU as a
 * reactive one. Signalling on the event loop matters beyond speed: the protocol then
 * writes the answer and asks for the next message from the loop itself instead of
 * scheduling both there from the handler's thread.
 * <p>
 * Cancelling a running call interrupts its thread, as cancelling a {@code subscribeOn}
 * task does; the thread is never interrupted once the call has returned, so a pooled
 * thread's next task is safe.
 *
 * @param <T> the call's result type; a {@code null} result completes empty
 */
final class BlockingCall<T> extends Mono<T> {

	private final Callable<? extends @Nullable T> call;

	private final Executor blocking;

	private final Executor resumeOn;

	BlockingCall(Callable<? extends @Nullable T> call, Executor blocking, Executor resumeOn) {
		this.call = call;
		this.blocking = blocking;
		this.resumeOn = resumeOn;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		Run<T> run = new Run<>(actual, this.call, this.resumeOn);
		actual.onSubscribe(run);
		try {
			this.blocking.execute(run);
		}
		catch (RejectedExecutionException ex) {
			// Overload: the caller turns this into a refusal on the thread that asked.
			run.fail(ex);
		}
	}

	/** One subscription: runs the call, then hops back to signal its outcome. */
	private static final class Run<T> extends Operators.MonoSubscriber<T, T> implements Runnable {

		private final Callable<? extends @Nullable T> call;

		private final Executor resumeOn;

		/** The thread running the call while it runs; guarded by {@code this}. */
		private @Nullable Thread runner;

		Run(CoreSubscriber<? super T> actual, Callable<? extends @Nullable T> call, Executor resumeOn) {
			super(actual);
			this.call = call;
			this.resumeOn = resumeOn;
		}

		@Override
		public void run() {
			if (!start()) {
				return;
			}
			T value;
			try {
				value = this.call.call();
			}
			catch (Throwable ex) {
				finish();
				resume(() -> fail(ex));
				return;
			}
			finish();
			resume(() -> succeed(value));
		}

		private void resume(Runnable signal) {
			try {
				this.resumeOn.execute(signal);
			}
			catch (RejectedExecutionException ex) {
				// The event loop is shutting down and its connection with it: nobody is
				// left to tell.
			}
		}

		private synchronized boolean start() {
			if (isCancelled()) {
				return false;
			}
			this.runner = Thread.currentThread();
			return true;
		}

		private void finish() {
			synchronized (this) {
				this.runner = null;
			}
			// A cancel that raced with the call's return must not reach the thread's
			// next task.
			Thread.interrupted();
		}

		private void succeed(@Nullable T value) {
			if (isCancelled()) {
				return;
			}
			if (value == null) {
				this.actual.onComplete();
			}
			else {
				complete(value);
			}
		}

		void fail(Throwable error) {
			// Once cancelled nobody listens: the connection is gone, and an interrupted
			// call's InterruptedException is the expected outcome, not news.
			if (!isCancelled()) {
				this.actual.onError(error);
			}
		}

		@Override
		public void cancel() {
			super.cancel();
			synchronized (this) {
				if (this.runner != null && this.runner != Thread.currentThread()) {
					this.runner.interrupt();
				}
			}
		}

	}

}
