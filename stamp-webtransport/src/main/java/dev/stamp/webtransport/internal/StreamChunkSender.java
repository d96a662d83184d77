package dev.stamp.webtransport.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelFuture;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.MonoSink;

import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

/**
 * The reactive front end of a {@link StreamWriter}: writes a publisher's chunks with
 * backpressure and ends the stream, FIN attached to the last chunk. It asks for one chunk
 * ahead; a chunk is written once the next signal shows it is not the last, or at the end
 * of the receive batch or event-loop task it arrived in. All state lives on the event
 * loop: signals from other threads are queued to it in order, and the publisher is
 * subscribed from it, so a synchronous publisher's last chunk and its completion arrive
 * within one task.
 */
final class StreamChunkSender extends BaseSubscriber<byte[]> {

	private final StreamWriter writer;

	private final MonoSink<Void> result;

	/**
	 * Signals queued to the event loop and not yet handled; later signals queue behind
	 * them.
	 */
	private final AtomicInteger queuedSignals = new AtomicInteger();

	private byte @Nullable [] held;

	private boolean requested;

	private boolean flushScheduled;

	private boolean done;

	StreamChunkSender(StreamWriter writer, MonoSink<Void> result) {
		this.writer = writer;
		this.result = result;
		result.onCancel(this::dispose);
	}

	@Override
	protected void hookOnSubscribe(Subscription subscription) {
		onEventLoop(this::requestNext);
	}

	@Override
	protected void hookOnNext(byte[] chunk) {
		onEventLoop(() -> next(chunk));
	}

	@Override
	protected void hookOnComplete() {
		onEventLoop(this::complete);
	}

	@Override
	protected void hookOnError(Throwable error) {
		onEventLoop(() -> {
			this.done = true;
			this.held = null;
			StreamErrors.resetSending(this.writer.channel(), Http3ErrorCodes.fromApplicationCode(0));
			this.result.error(error);
		});
	}

	private void onEventLoop(Runnable signal) {
		if (this.writer.channel().eventLoop().inEventLoop() && this.queuedSignals.get() == 0) {
			signal.run();
			return;
		}
		this.queuedSignals.incrementAndGet();
		try {
			this.writer.channel().eventLoop().execute(() -> {
				this.queuedSignals.decrementAndGet();
				signal.run();
			});
		}
		catch (RejectedExecutionException ex) {
			cancel();
			this.result.error(new WebTransportStreamException("Stream " + this.writer.id() + " closed", -1));
		}
	}

	private void next(byte[] chunk) {
		this.requested = false;
		if (this.done || isDisposed()) {
			return;
		}
		if (this.held != null) {
			writeChunk(this.held, false);
		}
		this.held = chunk;
		requestNext();
		if (this.held != null && !this.flushScheduled && !this.done) {
			this.flushScheduled = true;
			try {
				// At the end of the receive batch rather than in a task of its own: the
				// chunk then leaves with the packets the batch causes, and a FIN read in
				// the same batch still joins it.
				ReceiveBatch.atEnd(this.writer.channel().eventLoop(), this::flushHeld);
			}
			catch (RejectedExecutionException ex) {
				// The event loop is shutting down and the stream with it; the write
				// would fail anyway.
				this.flushScheduled = false;
			}
		}
	}

	/**
	 * The end of the batch or task the held chunk arrived in: no signal followed, so it
	 * goes out alone.
	 */
	private void flushHeld() {
		this.flushScheduled = false;
		if (this.held != null && !this.done && !isDisposed()) {
			byte[] chunk = this.held;
			this.held = null;
			writeChunk(chunk, false);
		}
	}

	private void requestNext() {
		if (this.requested || this.done || isDisposed()) {
			return;
		}
		this.writer.whenWritable(() -> {
			if (!this.requested && !this.done && !isDisposed()) {
				this.requested = true;
				request(1);
			}
		});
	}

	private void complete() {
		if (this.done) {
			return;
		}
		this.done = true;
		byte[] last = this.held;
		this.held = null;
		ChannelFuture fin = (last != null) ? this.writer.write(last, 0, last.length, true) : this.writer.finish();
		this.writer.completeWith(this.result, fin);
	}

	private void writeChunk(byte[] chunk, boolean fin) {
		this.writer.write(chunk, 0, chunk.length, fin).addListener((f) -> {
			if (!f.isSuccess()) {
				this.done = true;
				cancel();
				this.result.error(this.writer.writeFailure(f.cause()));
			}
			else {
				requestNext();
			}
		});
	}

}
