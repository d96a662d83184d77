package dev.stamp.webtransport.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

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
 * <p>
 * An idle queue is small: it is itself the flux and that flux's subscription (no
 * {@code Flux.create} sink, serialising queue, lambdas or wrapper objects), and holds no
 * deque until the first item arrives, so a session's three queues cost little while
 * nothing happens.
 *
 * @param <T> the item type
 */
public final class InboundQueue<T> extends Flux<T> implements Subscription {

	private static final AtomicIntegerFieldUpdater<InboundQueue> WIP = AtomicIntegerFieldUpdater
		.newUpdater(InboundQueue.class, "wip");

	private static final AtomicLongFieldUpdater<InboundQueue> REQUESTED = AtomicLongFieldUpdater
		.newUpdater(InboundQueue.class, "requested");

	private static final Runnable NO_SPACE_CALLBACK = () -> {
	};

	private static final Consumer<Object> NO_DISCARD = (item) -> {
	};

	/** Created with the first item: most queues of an idle session never get one. */
	private @Nullable ArrayDeque<T> items;

	private final ToIntFunction<T> weigher;

	private final long capacity;

	private final Runnable onSpace;

	private final Consumer<? super T> onDiscard;

	private volatile int wip;

	/** Demand of the reactive subscriber not met yet. */
	private volatile long requested;

	private long weight;

	private boolean done;

	private @Nullable Throwable error;

	private @Nullable CoreSubscriber<? super T> subscriber;

	/** The reactive subscriber got its terminal signal. */
	private boolean terminated;

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
	public InboundQueue(long capacity, ToIntFunction<T> weigher, @Nullable Runnable onSpace,
			@Nullable Consumer<? super T> onDiscard) {
		this.capacity = capacity;
		this.weigher = weigher;
		this.onSpace = (onSpace != null) ? onSpace : NO_SPACE_CALLBACK;
		this.onDiscard = (onDiscard != null) ? onDiscard : NO_DISCARD;
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
				if (this.items == null) {
					this.items = new ArrayDeque<>(3);
				}
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
	 * @param cause the error consumers get, unless the queue had ended already;
	 * {@code null} to complete them
	 */
	public void close(@Nullable Throwable cause) {
		ArrayDeque<T> dropped;
		synchronized (this) {
			dropped = takeAll();
			if (!this.done) {
				this.done = true;
				this.error = cause;
			}
			notifyAll();
		}
		discard(dropped);
		drain();
	}

	/**
	 * Whether a consumer would have to wait: nothing queued and not finished.
	 * @return {@code true} if a consumer would wait
	 */
	public synchronized boolean isAwaitingItems() {
		return isEmpty() && !this.done;
	}

	/**
	 * Whether the queue ended (completed, failed or closed), consumed or not.
	 * @return {@code true} once the queue ended
	 */
	public synchronized boolean isEnded() {
		return this.done;
	}

	/**
	 * Whether the queue ended and every item was consumed.
	 * @return {@code true} once the queue ended and is empty
	 */
	public synchronized boolean isFinished() {
		return this.done && isEmpty();
	}

	private boolean isEmpty() {
		return this.items == null || this.items.isEmpty();
	}

	/**
	 * Takes the next item, waiting up to {@code timeout}.
	 * @param timeout the longest wait
	 * @return the item, or {@code null} if the queue completed or the timeout elapsed
	 * @throws InterruptedException if interrupted while waiting
	 * @throws QueueFailedException the queue's error, once all items before it were
	 * consumed
	 */
	public @Nullable T poll(Duration timeout) throws InterruptedException, QueueFailedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		T item;
		synchronized (this) {
			if (this.subscriber != null) {
				throw new IllegalStateException("This queue is already consumed reactively");
			}
			while (isEmpty() && !this.done) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return null;
				}
				TimeUnit.NANOSECONDS.timedWait(this, remaining);
			}
			item = pollItem();
			if (item == null) {
				if (this.error != null) {
					throw new QueueFailedException(this.error);
				}
				return null;
			}
		}
		this.onSpace.run();
		return item;
	}

	/**
	 * Takes the head, adjusting the weight; called holding the lock.
	 * @return the head, or {@code null} if the queue is empty
	 */
	private @Nullable T pollItem() {
		T item = (this.items != null) ? this.items.poll() : null;
		if (item != null) {
			this.weight -= this.weigher.applyAsInt(item);
		}
		return item;
	}

	/**
	 * The items as a flux that honours demand; only one subscriber is allowed, ever.
	 * @return the items as a flux
	 */
	public Flux<T> flux() {
		return this;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		synchronized (this) {
			if (this.subscriber != null || this.cancelled) {
				Operators.error(actual, new IllegalStateException("Only one subscriber is allowed"));
				return;
			}
			this.subscriber = actual;
		}
		actual.onSubscribe(this);
		drain();
	}

	/** The reactive subscriber cancelled (its {@link Subscription}). */
	@Override
	public void cancel() {
		ArrayDeque<T> dropped;
		synchronized (this) {
			if (this.cancelled) {
				return;
			}
			this.cancelled = true;
			dropped = takeAll();
		}
		discard(dropped);
	}

	private @Nullable ArrayDeque<T> takeAll() {
		ArrayDeque<T> all = this.items;
		this.items = null;
		this.weight = 0;
		return (all != null && !all.isEmpty()) ? all : null;
	}

	private void discard(@Nullable ArrayDeque<T> dropped) {
		if (dropped != null) {
			dropped.forEach(this.onDiscard);
		}
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
		if (WIP.getAndIncrement(this) != 0) {
			return;
		}
		boolean consumed = false;
		int missed = 1;
		do {
			CoreSubscriber<? super T> current;
			synchronized (this) {
				current = (this.cancelled || this.terminated) ? null : this.subscriber;
			}
			if (current != null) {
				long demand = this.requested;
				long emitted = 0;
				while (emitted < demand) {
					T item;
					synchronized (this) {
						item = this.cancelled ? null : pollItem();
					}
					if (item == null) {
						break;
					}
					consumed = true;
					emitted++;
					current.onNext(item);
				}
				if (emitted > 0 && demand != Long.MAX_VALUE) {
					REQUESTED.addAndGet(this, -emitted);
				}
				Throwable terminalError;
				boolean terminate;
				synchronized (this) {
					terminate = this.done && isEmpty() && !this.cancelled && !this.terminated;
					terminalError = this.error;
					if (terminate) {
						this.terminated = true;
					}
				}
				if (terminate) {
					if (terminalError != null) {
						current.onError(terminalError);
					}
					else {
						current.onComplete();
					}
				}
			}
			missed = WIP.addAndGet(this, -missed);
		}
		while (missed != 0);
		if (consumed) {
			this.onSpace.run();
		}
	}

	/**
	 * Demand of the queue's one reactive subscriber (its {@link Subscription}).
	 * @param n how many more items it wants
	 */
	@Override
	public void request(long n) {
		if (Operators.validate(n)) {
			Operators.addCap(REQUESTED, this, n);
			drain();
		}
	}

	/** Wraps the error a queue ended with, for blocking consumers. */
	public static final class QueueFailedException extends Exception {

		/**
		 * Wraps {@code cause}.
		 * @param cause the error the queue ended with
		 */
		public QueueFailedException(Throwable cause) {
			super(cause.getMessage(), cause);
		}

	}

}
