package dev.stamp.webtransport.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A bounded single-consumer queue between a Netty event loop (producer) and the
 * application (consumer), which may consume either reactively ({@link #flux()}, honouring
 * demand) or blockingly ({@link #poll(Duration)}).
 * <p>
 * Capacity is counted in "weight" (bytes for stream data, 1 per item for streams and
 * datagrams). The producer asks {@link #hasRoom()} before reading more from the network,
 * and is called back through {@code onSpace} when the consumer made room, so reading can
 * resume: that is the backpressure. Items never hold reference-counted buffers, so
 * dropping them needs no release; {@code onDiscard} lets the owner clean up items that
 * were never consumed (for example reset queued streams).
 *
 * @param <T> the item type
 */
public final class InboundQueue<T> {

	private final ArrayDeque<T> items = new ArrayDeque<>();

	private final ToIntFunction<T> weigher;

	private final long capacity;

	private final Runnable onSpace;

	private final Consumer<T> onDiscard;

	private final AtomicInteger wip = new AtomicInteger();

	private long weight;

	private boolean done;

	private Throwable error;

	private FluxSink<T> sink;

	private boolean cancelled;

	/**
	 * Creates an empty queue.
	 * @param capacity the weight above which {@link #hasRoom()} turns false
	 * @param weigher the weight of one item
	 * @param onSpace called (on any thread) after the consumer took items; may be
	 * {@code null}
	 * @param onDiscard called for items dropped when the consumer cancels or the queue is
	 * closed; may be {@code null}
	 */
	public InboundQueue(long capacity, ToIntFunction<T> weigher, Runnable onSpace, Consumer<T> onDiscard) {
		this.capacity = capacity;
		this.weigher = weigher;
		this.onSpace = (onSpace != null) ? onSpace : () -> {
		};
		this.onDiscard = (onDiscard != null) ? onDiscard : (item) -> {
		};
	}

	/**
	 * Whether the producer may add more without exceeding the capacity.
	 * @return {@code true} if below capacity
	 */
	public synchronized boolean hasRoom() {
		return this.weight < this.capacity && !this.cancelled;
	}

	/**
	 * Adds an item (producer side). Never refuses: callers that must bound an untrusted
	 * producer check {@link #hasRoom()} first.
	 * @param item the item to add
	 * @return {@code false} if the queue is already closed or cancelled and the item was
	 * discarded
	 */
	public boolean offer(T item) {
		boolean accepted;
		synchronized (this) {
			accepted = !this.done && !this.cancelled;
			if (accepted) {
				this.items.add(item);
				this.weight += this.weigher.applyAsInt(item);
				notifyAll();
			}
		}
		if (!accepted) {
			this.onDiscard.accept(item);
			return false;
		}
		drain();
		return true;
	}

	/** Ends the queue normally: consumers get the remaining items, then completion. */
	public void complete() {
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
			notifyAll();
		}
		drain();
	}

	/**
	 * Ends the queue with an error: consumers get the remaining items, then the error.
	 * @param cause the error consumers get last
	 */
	public void fail(Throwable cause) {
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
			this.error = cause;
			notifyAll();
		}
		drain();
	}

	/**
	 * Ends the queue and discards what was not consumed (for example when a session
	 * closes).
	 * @param cause the error consumers get, unless the queue had ended already
	 */
	public void close(Throwable cause) {
		ArrayDeque<T> dropped;
		synchronized (this) {
			dropped = new ArrayDeque<>(this.items);
			this.items.clear();
			this.weight = 0;
			if (!this.done) {
				this.done = true;
				this.error = cause;
			}
			notifyAll();
		}
		dropped.forEach(this.onDiscard);
		drain();
	}

	/** Whether the queue ended and every item was consumed. */
	/**
	 * Whether a consumer would have to wait: nothing queued and not finished.
	 * @return {@code true} if a consumer would wait
	 */
	public synchronized boolean isAwaitingItems() {
		return this.items.isEmpty() && !this.done;
	}

	public synchronized boolean isFinished() {
		return this.done && this.items.isEmpty();
	}

	/**
	 * Takes the next item, waiting up to {@code timeout}.
	 * @param timeout the longest wait
	 * @return the item, or {@code null} if the queue completed or the timeout elapsed
	 * @throws Exception the queue's error, once all items before it were consumed
	 * (rethrown as is if unchecked)
	 */
	public @Nullable T poll(Duration timeout) throws InterruptedException, QueueFailedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		T item;
		synchronized (this) {
			if (this.sink != null) {
				throw new IllegalStateException("This queue is already consumed reactively");
			}
			while (this.items.isEmpty() && !this.done) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return null;
				}
				TimeUnit.NANOSECONDS.timedWait(this, remaining);
			}
			item = this.items.poll();
			if (item == null) {
				if (this.error != null) {
					throw new QueueFailedException(this.error);
				}
				return null;
			}
			this.weight -= this.weigher.applyAsInt(item);
		}
		this.onSpace.run();
		return item;
	}

	/**
	 * The items as a flux that honours demand; only one subscriber is allowed, ever.
	 * @return the items as a flux
	 */
	public Flux<T> flux() {
		return Flux.create((FluxSink<T> newSink) -> {
			synchronized (this) {
				if (this.sink != null || this.cancelled) {
					newSink.error(new IllegalStateException("Only one subscriber is allowed"));
					return;
				}
				this.sink = newSink;
			}
			newSink.onRequest((n) -> drain());
			newSink.onCancel(this::cancel);
			drain();
		}, FluxSink.OverflowStrategy.ERROR);
	}

	private void cancel() {
		ArrayDeque<T> dropped;
		synchronized (this) {
			this.cancelled = true;
			dropped = new ArrayDeque<>(this.items);
			this.items.clear();
			this.weight = 0;
		}
		dropped.forEach(this.onDiscard);
	}

	/**
	 * Whether the reactive subscriber cancelled (the producer should stop, for example
	 * with STOP_SENDING).
	 * @return {@code true} once the subscriber cancelled
	 */
	public synchronized boolean isCancelled() {
		return this.cancelled;
	}

	private void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		boolean consumed = false;
		int missed = 1;
		do {
			FluxSink<T> current;
			synchronized (this) {
				current = this.sink;
			}
			if (current != null && !current.isCancelled()) {
				while (current.requestedFromDownstream() > 0) {
					T item;
					synchronized (this) {
						item = this.items.poll();
						if (item != null) {
							this.weight -= this.weigher.applyAsInt(item);
						}
					}
					if (item == null) {
						break;
					}
					consumed = true;
					current.next(item);
				}
				Throwable terminalError = null;
				boolean terminate;
				synchronized (this) {
					terminate = this.done && this.items.isEmpty();
					terminalError = this.error;
				}
				if (terminate) {
					if (terminalError != null) {
						current.error(terminalError);
					}
					else {
						current.complete();
					}
				}
			}
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
		if (consumed) {
			this.onSpace.run();
		}
	}

	/** Wraps the error a queue ended with, for blocking consumers. */
	public static final class QueueFailedException extends Exception {

		public QueueFailedException(Throwable cause) {
			super(cause.getMessage(), cause);
		}

	}

}
