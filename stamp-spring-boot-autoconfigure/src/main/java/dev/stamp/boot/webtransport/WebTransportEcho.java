package dev.stamp.boot.webtransport;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;

/**
 * The echo of {@link WebTransportEchoRoute} for one session, as one small operator
 * instead of a Reactor chain: what an idle session holds is this object and one
 * subscriber per source (accepted bidirectional streams, accepted unidirectional streams,
 * datagrams), not a {@code Mono.when} of three {@code flatMap}/{@code concatMap} chains.
 * It behaves as that chain did: bidirectional streams are echoed on themselves and
 * unidirectional streams on a new server-opened unidirectional stream, up to 256 of each
 * at once (as {@code flatMap}); datagrams are sent back one after the other (as
 * {@code concatMap}). It completes once the three sources completed and every echo
 * finished, and fails with the first error of any source or echo, cancelling the rest (as
 * {@code Mono.when}). It can be subscribed to once.
 */
final class WebTransportEcho extends Mono<Void> implements Subscription {

	private static final int BIDI = 0;

	private static final int UNI = 1;

	private static final int DATAGRAMS = 2;

	/** Echoes of one stream kind at once, as {@code flatMap}'s default concurrency. */
	private static final int CONCURRENCY = Queues.SMALL_BUFFER_SIZE;

	private final WebTransportSession session;

	private @Nullable CoreSubscriber<? super Void> actual;

	private @Nullable Source bidi;

	private @Nullable Source uni;

	private @Nullable Source datagrams;

	/** Sources not completed plus echoes not finished; guarded by {@code this}. */
	private int pending;

	/** Completed, failed or cancelled; guarded by {@code this}. */
	private boolean terminated;

	/** Echoes under way, {@code null} while there are none; guarded by {@code this}. */
	private @Nullable List<Echo> echoes;

	WebTransportEcho(WebTransportSession session) {
		this.session = session;
	}

	@Override
	public void subscribe(CoreSubscriber<? super Void> actual) {
		Source bidiStreams = new Source(this, BIDI);
		Source uniStreams = new Source(this, UNI);
		Source datagramSource = new Source(this, DATAGRAMS);
		synchronized (this) {
			if (this.actual != null) {
				Operators.error(actual, new IllegalStateException("The echo of a session can be subscribed once"));
				return;
			}
			this.actual = actual;
			this.bidi = bidiStreams;
			this.uni = uniStreams;
			this.datagrams = datagramSource;
			this.pending = 3;
		}
		actual.onSubscribe(this);
		this.session.acceptedBidiStreams().subscribe(bidiStreams);
		this.session.acceptedUniStreams().subscribe(uniStreams);
		this.session.datagrams().subscribe(datagramSource);
	}

	@Override
	public void request(long n) {
		// A Mono<Void> emits no value: demand changes nothing.
	}

	@Override
	public void cancel() {
		terminate(null, false);
	}

	private Context context() {
		CoreSubscriber<? super Void> subscriber = this.actual;
		return (subscriber != null) ? subscriber.currentContext() : Context.empty();
	}

	private void onItem(Source source, Object item) {
		Mono<Void> echo = switch (source.kind) {
			case BIDI -> {
				WebTransportStream stream = (WebTransportStream) item;
				yield stream.send(stream.receive());
			}
			case UNI -> {
				WebTransportStream incoming = (WebTransportStream) item;
				yield this.session.openUniStream().flatMap((outgoing) -> outgoing.send(incoming.receive()));
			}
			default -> this.session.sendDatagram((byte[]) item);
		};
		Echo subscriber = new Echo(this, source);
		synchronized (this) {
			if (this.terminated) {
				return;
			}
			if (this.echoes == null) {
				this.echoes = new ArrayList<>(2);
			}
			this.echoes.add(subscriber);
			this.pending++;
		}
		echo.subscribe(subscriber);
	}

	private void sourceCompleted() {
		boolean complete;
		synchronized (this) {
			complete = !this.terminated && --this.pending == 0;
		}
		if (complete) {
			terminate(null, true);
		}
	}

	private void echoFinished(Echo echo) {
		boolean complete;
		synchronized (this) {
			if (this.terminated || this.echoes == null || !this.echoes.remove(echo)) {
				return;
			}
			if (this.echoes.isEmpty()) {
				this.echoes = null;
			}
			complete = --this.pending == 0;
		}
		if (complete) {
			terminate(null, true);
			return;
		}
		echo.source.request(1);
	}

	/**
	 * Ends the echo once: cancels what still runs and, unless cancelled from downstream,
	 * signals completion or the error.
	 * @param error the first error, or {@code null}
	 * @param signal whether to signal the subscriber
	 */
	private void terminate(@Nullable Throwable error, boolean signal) {
		Source[] running;
		List<Echo> unfinished;
		CoreSubscriber<? super Void> subscriber;
		synchronized (this) {
			if (this.terminated) {
				if (error != null) {
					Operators.onErrorDropped(error, context());
				}
				return;
			}
			this.terminated = true;
			running = new Source[] { this.bidi, this.uni, this.datagrams };
			unfinished = this.echoes;
			this.echoes = null;
			subscriber = this.actual;
		}
		boolean completed = signal && error == null;
		if (!completed) {
			for (Source source : running) {
				if (source != null) {
					source.cancel();
				}
			}
			if (unfinished != null) {
				for (Echo echo : unfinished) {
					echo.cancel();
				}
			}
		}
		if (signal && subscriber != null) {
			if (error != null) {
				subscriber.onError(error);
			}
			else {
				subscriber.onComplete();
			}
		}
	}

	/**
	 * What {@link Source} and {@link Echo} share: the upstream subscription, and a cancel
	 * that may come before it.
	 *
	 * @param <T> the upstream's element type
	 */
	private abstract static class Inner<T> implements CoreSubscriber<T> {

		final WebTransportEcho parent;

		private volatile @Nullable Subscription upstream;

		private volatile boolean cancelled;

		Inner(WebTransportEcho parent) {
			this.parent = parent;
		}

		/**
		 * How much to ask for once subscribed.
		 * @return the first demand
		 */
		abstract long initialDemand();

		@Override
		public Context currentContext() {
			return this.parent.context();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			if (!Operators.validate(this.upstream, subscription)) {
				return;
			}
			this.upstream = subscription;
			if (this.cancelled) {
				subscription.cancel();
				return;
			}
			subscription.request(initialDemand());
		}

		@Override
		public void onError(Throwable error) {
			this.parent.terminate(error, true);
		}

		void request(long n) {
			Subscription subscription = this.upstream;
			if (subscription != null) {
				subscription.request(n);
			}
		}

		void cancel() {
			this.cancelled = true;
			Subscription subscription = this.upstream;
			if (subscription != null) {
				subscription.cancel();
			}
		}

	}

	/** Subscribes to one of the session's sources. */
	private static final class Source extends Inner<Object> {

		private final int kind;

		Source(WebTransportEcho parent, int kind) {
			super(parent);
			this.kind = kind;
		}

		@Override
		long initialDemand() {
			return (this.kind == DATAGRAMS) ? 1 : CONCURRENCY;
		}

		@Override
		public void onNext(Object item) {
			this.parent.onItem(this, item);
		}

		@Override
		public void onComplete() {
			this.parent.sourceCompleted();
		}

	}

	/** Subscribes to the echo of one stream or datagram. */
	private static final class Echo extends Inner<Void> {

		private final Source source;

		Echo(WebTransportEcho parent, Source source) {
			super(parent);
			this.source = source;
		}

		@Override
		long initialDemand() {
			return Long.MAX_VALUE;
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onComplete() {
			this.parent.echoFinished(this);
		}

	}

}
