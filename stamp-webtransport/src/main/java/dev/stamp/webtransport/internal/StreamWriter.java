package dev.stamp.webtransport.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.MonoSink;

import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.protocol.WebTransportErrorCodes;

/**
 * The sending half of a {@link StreamImpl}: copies the application's bytes into buffers
 * the channel owns, respects writability, and ends the stream with FIN.
 * <p>
 * FIN travels in the STREAM frame of the last bytes whenever the application's last write
 * and the end of its data come together. The reason is quiche, as bundled with Netty
 * 4.2.17: it counts a stream's sending side as complete once every byte is acknowledged,
 * whether or not a frame with its FIN was sent, let alone acknowledged
 * (cloudflare/quiche#2525). A stream whose peer already ended its own side is then
 * forgotten, and an empty FIN still waiting in quiche, or lost on the way, with it: the
 * peer has every byte and waits for the end forever. A FIN that rides on data is sent and
 * retransmitted with that data. So both front ends hold the most recent chunk back until
 * they know whether the end follows it: {@link ChunkSender} until the publisher's next
 * signal, at most until the current receive batch (see {@link ReceiveBatch}) or
 * event-loop task ends; {@link BlockingOutput} until the next write, a flush, the close,
 * a blocking read of the same stream, or {@link #AUTO_FLUSH_DELAY}.
 * <p>
 * Only an end that comes alone, after all data went out, is sent as an empty FIN, and
 * always from a task of its own (see {@link #finish()}).
 */
final class StreamWriter {

	/**
	 * Largest chunk one blocking write puts on the channel before checking writability
	 * again.
	 */
	static final int MAX_WRITE_CHUNK = 64 * 1024;

	/**
	 * How long a blocking writer's last chunk waits for a close, flush or further write
	 * before it is sent alone.
	 */
	static final Duration AUTO_FLUSH_DELAY = Duration.ofMillis(20);

	private final QuicStreamChannel channel;

	private final EngineStats stats;

	/** Waiters for writability; event loop only. */
	private final ArrayDeque<Runnable> writabilityWaiters = new ArrayDeque<>();

	/**
	 * Blocking writers wait on this monitor; it also orders a blocking writer's sends.
	 */
	private final Object writeMonitor = new Object();

	/** The most recent write, so that the next one can wait for it. */
	private volatile ChannelFuture lastWrite;

	/**
	 * A thread of the application is blocked reading this stream: held-back output would
	 * only delay its answer.
	 */
	private volatile boolean readerBlocked;

	private BlockingOutput blockingOutput;

	StreamWriter(QuicStreamChannel channel, EngineStats stats) {
		this.channel = channel;
		this.stats = stats;
	}

	private long id() {
		return this.channel.streamId();
	}

	/**
	 * Writes a copy of the bytes; with {@code fin}, they end the stream. Any thread.
	 * @param data the source array, copied
	 * @param offset where the bytes start in {@code data}
	 * @param length how many bytes to write
	 * @param fin whether these bytes end the stream
	 * @return completes when the bytes are written to QUIC
	 */
	ChannelFuture write(byte[] data, int offset, int length, boolean fin) {
		ByteBuf buf = this.channel.alloc().directBuffer(length).writeBytes(data, offset, length);
		return send(buf, fin, false);
	}

	/**
	 * Ends the stream with an empty FIN, after everything written before. Any thread.
	 * <p>
	 * From a task of its own even on the event loop. Within a receive batch, Netty's QUIC
	 * channel defers sending to the end of the batch, and an acknowledgement of the
	 * stream's last bytes read later in that batch makes quiche drop the FIN unsent (see
	 * {@link StreamWriter}): this is how Firefox's echo streams lost their end, with its
	 * acknowledgement of the echo right behind its own FIN. Outside a batch, Netty hands
	 * the FIN to quiche and sends it in one go, before anything else is read.
	 * @return completes when the FIN is written to QUIC
	 */
	ChannelFuture finish() {
		return send(Unpooled.EMPTY_BUFFER, true, true);
	}

	/**
	 * Passes {@code buf}, and its ownership, to the channel, which releases it once
	 * written or failed. Netty queues writes the stream has no capacity for, in order, so
	 * FIN never overtakes data.
	 * @param queued write from a task of its own even on the event loop, to stay behind
	 * sends already queued
	 * @param buf the bytes to write, owned by the channel from now on
	 * @param fin whether these bytes end the stream
	 * @return completes when the bytes are written to QUIC
	 */
	private ChannelFuture send(ByteBuf buf, boolean fin, boolean queued) {
		this.stats.streamBytesSent(buf.readableBytes());
		Object message = fin ? new DefaultQuicStreamFrame(buf, true) : buf;
		ChannelPromise promise = this.channel.newPromise();
		this.lastWrite = promise;
		if (queued || !this.channel.eventLoop().inEventLoop()) {
			try {
				this.channel.eventLoop().execute(() -> this.channel.writeAndFlush(message, promise));
			}
			catch (RejectedExecutionException ex) {
				buf.release();
				promise.tryFailure(ex);
			}
		}
		else {
			this.channel.writeAndFlush(message, promise);
		}
		return promise;
	}

	/**
	 * Whether another chunk may go to the channel: QUIC accepted everything written so
	 * far (or the stream is gone). Netty's {@code isWritable()} is not enough: it reads
	 * true while the stream handles its writability event, with writes still queued, and
	 * a synchronous publisher would then run ahead without bound.
	 * @return {@code true} if nothing written is still queued
	 */
	private boolean canWriteMore() {
		ChannelFuture last = this.lastWrite;
		return last == null || last.isDone() || !this.channel.isActive();
	}

	/**
	 * Runs {@code action} on the event loop now if another chunk may go out (or the
	 * stream is gone), else later.
	 * @param action what to run on the event loop
	 */
	private void whenWritable(Runnable action) {
		if (canWriteMore()) {
			action.run();
		}
		else {
			this.writabilityWaiters.add(action);
			this.lastWrite.addListener((f) -> runWaiters());
		}
	}

	private void runWaiters() {
		while (canWriteMore() && !this.writabilityWaiters.isEmpty()) {
			this.writabilityWaiters.poll().run();
		}
	}

	void onWritabilityChanged() {
		synchronized (this.writeMonitor) {
			this.writeMonitor.notifyAll();
		}
		runWaiters();
	}

	void onClosed() {
		synchronized (this.writeMonitor) {
			this.writeMonitor.notifyAll();
		}
		Runnable waiter;
		while ((waiter = this.writabilityWaiters.poll()) != null) {
			waiter.run();
		}
		BlockingOutput output;
		synchronized (this) {
			output = this.blockingOutput;
		}
		if (output != null) {
			output.discardHeld();
		}
	}

	/**
	 * A write failure as the application should see it. Netty reports the peer's
	 * STOP_SENDING as an output shutdown, without the peer's error code.
	 * @param cause the failure Netty reported
	 * @return the failure to hand to the application
	 */
	Throwable writeFailure(Throwable cause) {
		if (cause instanceof ChannelOutputShutdownException) {
			WebTransportStreamException stopped = new WebTransportStreamException(
					"Stream " + id() + " can no longer send (the peer sent STOP_SENDING, or the stream ended)", -1);
			stopped.initCause(cause);
			return stopped;
		}
		return cause;
	}

	/**
	 * Completes {@code sink} with the outcome of {@code future}.
	 * @param sink the sink to complete
	 * @param future the write whose outcome completes it
	 */
	void completeWith(MonoSink<Void> sink, ChannelFuture future) {
		future.addListener((f) -> {
			if (f.isSuccess()) {
				sink.success();
			}
			else {
				sink.error(writeFailure(f.cause()));
			}
		});
	}

	// ---- blocking front end

	/**
	 * Called by a blocking reader of this stream before it waits for input, and after.
	 * While it waits, held-back output is sent: the peer may be waiting for it to answer.
	 * Not at once, though: from the end of the current event-loop task, and only if input
	 * is still awaited ({@code stillWaiting}), because the peer's last bytes and FIN may
	 * be in the middle of being read, and then this stream's reply can still carry its
	 * own FIN.
	 * @param blocked {@code true} before the reader waits, {@code false} after
	 * @param stillWaiting whether the reader still waits for input
	 */
	void readerBlocked(boolean blocked, BooleanSupplier stillWaiting) {
		this.readerBlocked = blocked;
		if (!blocked) {
			return;
		}
		BlockingOutput output;
		synchronized (this) {
			output = this.blockingOutput;
		}
		if (output != null) {
			try {
				this.channel.eventLoop().execute(() -> {
					if (stillWaiting.getAsBoolean()) {
						output.sendHeld();
					}
				});
			}
			catch (RejectedExecutionException ex) {
				output.sendHeld();
			}
		}
	}

	synchronized OutputStream outputStream() {
		if (this.blockingOutput == null) {
			this.blockingOutput = new BlockingOutput();
		}
		return this.blockingOutput;
	}

	private void assertNotOnEventLoop() {
		if (this.channel.eventLoop().inEventLoop()) {
			throw new IllegalStateException("Blocking stream I/O on a Netty event loop; use the reactive API there, "
					+ "or run the handler as a blocking handler");
		}
	}

	/**
	 * The stream's blocking {@link OutputStream}. {@code write} waits while the stream is
	 * not writable. The last chunk written is held back (see {@link StreamWriter}) and
	 * {@code flush()} sends it at once.
	 */
	private final class BlockingOutput extends OutputStream {

		private final Object monitor = StreamWriter.this.writeMonitor;

		/** The most recent chunk, not sent yet; guarded by {@link #monitor}. */
		private ByteBuf held;

		/** When {@link #held} was last replaced; guarded by {@link #monitor}. */
		private long heldSince;

		/** An auto-flush task is scheduled; guarded by {@link #monitor}. */
		private boolean autoFlushScheduled;

		/**
		 * The stream closed: nothing may be held any more; guarded by {@link #monitor}.
		 */
		private boolean discarded;

		/** Written by failed sends, from the event loop. */
		private volatile Throwable failure;

		private boolean closed;

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] data, int offset, int length) throws IOException {
			if (this.closed) {
				throw new IOException("Stream " + id() + " output is closed");
			}
			assertNotOnEventLoop();
			int written = 0;
			while (written < length) {
				int size = Math.min(MAX_WRITE_CHUNK, length - written);
				ByteBuf chunk = StreamWriter.this.channel.alloc().directBuffer(size);
				chunk.writeBytes(data, offset + written, size);
				written += size;
				try {
					awaitWritable();
				}
				catch (IOException ex) {
					chunk.release();
					throw ex;
				}
				synchronized (this.monitor) {
					if (this.discarded) {
						chunk.release();
						throw new WebTransportStreamException("Stream " + id() + " can no longer send", -1);
					}
					// The earlier chunk has a successor, so it is not the last: out it
					// goes, in order with any
					// auto-flush, which also takes the held chunk under this monitor.
					if (this.held != null) {
						sendInOrder(this.held, false);
					}
					this.held = chunk;
					this.heldSince = System.nanoTime();
				}
			}
			if (StreamWriter.this.readerBlocked) {
				sendHeld();
			}
			else {
				scheduleAutoFlush();
			}
		}

		@Override
		public void flush() throws IOException {
			checkFailure();
			sendHeld();
		}

		/** Sends the held chunk, if any. Any thread. */
		void sendHeld() {
			synchronized (this.monitor) {
				ByteBuf chunk = this.held;
				this.held = null;
				if (chunk != null) {
					sendInOrder(chunk, false);
				}
			}
		}

		/** Releases the held chunk of a stream that closed. */
		void discardHeld() {
			synchronized (this.monitor) {
				this.discarded = true;
				if (this.held != null) {
					this.held.release();
					this.held = null;
				}
			}
		}

		/**
		 * Sends from a task of its own, even on the event loop (the auto-flush), so that
		 * a chunk a writer thread handed to the event loop just before is written first.
		 * Callers hold {@link #monitor} or own the chunk.
		 * @param chunk the bytes to send, owned by the channel from now on
		 * @param fin whether these bytes end the stream
		 */
		private void sendInOrder(ByteBuf chunk, boolean fin) {
			send(chunk, fin, true).addListener((f) -> {
				if (!f.isSuccess()) {
					this.failure = writeFailure(f.cause());
				}
				// A writer may be waiting for this chunk to be accepted.
				synchronized (this.monitor) {
					this.monitor.notifyAll();
				}
			});
		}

		private void scheduleAutoFlush() {
			synchronized (this.monitor) {
				if (this.autoFlushScheduled || this.held == null) {
					return;
				}
				this.autoFlushScheduled = true;
			}
			scheduleAutoFlushIn(AUTO_FLUSH_DELAY.toNanos());
		}

		private void scheduleAutoFlushIn(long nanos) {
			try {
				StreamWriter.this.channel.eventLoop().schedule(this::autoFlush, nanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				synchronized (this.monitor) {
					this.autoFlushScheduled = false;
				}
			}
		}

		/**
		 * Sends a chunk that waited {@link #AUTO_FLUSH_DELAY}; a newer chunk gets the
		 * rest of its own delay.
		 */
		private void autoFlush() {
			long remaining;
			synchronized (this.monitor) {
				if (this.held == null) {
					this.autoFlushScheduled = false;
					return;
				}
				remaining = this.heldSince + AUTO_FLUSH_DELAY.toNanos() - System.nanoTime();
				if (remaining <= 0) {
					this.autoFlushScheduled = false;
					ByteBuf chunk = this.held;
					this.held = null;
					sendInOrder(chunk, false);
					return;
				}
			}
			scheduleAutoFlushIn(remaining);
		}

		private void awaitWritable() throws IOException {
			synchronized (this.monitor) {
				while (true) {
					checkFailure();
					if (!StreamWriter.this.channel.isActive() || StreamWriter.this.channel.isOutputShutdown()) {
						throw new WebTransportStreamException("Stream " + id() + " can no longer send", -1);
					}
					if (canWriteMore()) {
						return;
					}
					try {
						this.monitor.wait(1000);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new InterruptedIOException("Interrupted while writing stream " + id());
					}
				}
			}
		}

		private void checkFailure() throws IOException {
			Throwable cause = this.failure;
			if (cause != null) {
				throw (cause instanceof IOException) ? (IOException) cause : new IOException(cause);
			}
		}

		/**
		 * Sends the held chunk together with FIN (or an empty FIN) and waits until QUIC
		 * accepted it.
		 */
		@Override
		public void close() throws IOException {
			if (this.closed) {
				return;
			}
			this.closed = true;
			assertNotOnEventLoop();
			ChannelFuture fin;
			synchronized (this.monitor) {
				ByteBuf chunk = this.held;
				this.held = null;
				fin = send((chunk != null) ? chunk : Unpooled.EMPTY_BUFFER, true, true);
			}
			fin.awaitUninterruptibly(30_000);
			checkFailure();
			if (fin.isDone() && !fin.isSuccess() && StreamWriter.this.channel.isActive()) {
				throw new IOException("Could not end stream " + id(), writeFailure(fin.cause()));
			}
		}

	}

	// ---- reactive front end

	/**
	 * Writes a publisher's chunks with backpressure and ends the stream, FIN attached to
	 * the last chunk. It asks for one chunk ahead; a chunk is written once the next
	 * signal shows it is not the last, or at the end of the receive batch or event-loop
	 * task it arrived in. All state lives on the event loop: signals from other threads
	 * are queued to it in order, and the publisher is subscribed from it, so a
	 * synchronous publisher's last chunk and its completion arrive within one task.
	 */
	final class ChunkSender extends BaseSubscriber<byte[]> {

		private final MonoSink<Void> result;

		/**
		 * Signals queued to the event loop and not yet handled; later signals queue
		 * behind them.
		 */
		private final AtomicInteger queuedSignals = new AtomicInteger();

		private byte[] held;

		private boolean requested;

		private boolean flushScheduled;

		private boolean done;

		ChunkSender(MonoSink<Void> result) {
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
				StreamErrors.resetSending(StreamWriter.this.channel, WebTransportErrorCodes.toHttp3(0));
				this.result.error(error);
			});
		}

		private void onEventLoop(Runnable signal) {
			if (StreamWriter.this.channel.eventLoop().inEventLoop() && this.queuedSignals.get() == 0) {
				signal.run();
				return;
			}
			this.queuedSignals.incrementAndGet();
			try {
				StreamWriter.this.channel.eventLoop().execute(() -> {
					this.queuedSignals.decrementAndGet();
					signal.run();
				});
			}
			catch (RejectedExecutionException ex) {
				cancel();
				this.result.error(new WebTransportStreamException("Stream " + id() + " closed", -1));
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
					// At the end of the receive batch rather than in a task of its own:
					// the chunk then leaves
					// with the packets the batch causes, and a FIN read in the same batch
					// still joins it.
					ReceiveBatch.atEnd(StreamWriter.this.channel.eventLoop(), this::flushHeld);
				}
				catch (RejectedExecutionException ex) {
					// The event loop is shutting down and the stream with it; the write
					// would fail anyway.
					this.flushScheduled = false;
				}
			}
		}

		/**
		 * The end of the batch or task the held chunk arrived in: no signal followed, so
		 * it goes out alone.
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
			whenWritable(() -> {
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
			ChannelFuture fin = (last != null) ? write(last, 0, last.length, true) : finish();
			completeWith(this.result, fin);
		}

		private void writeChunk(byte[] chunk, boolean fin) {
			write(chunk, 0, chunk.length, fin).addListener((f) -> {
				if (!f.isSuccess()) {
					this.done = true;
					cancel();
					this.result.error(writeFailure(f.cause()));
				}
				else {
					requestNext();
				}
			});
		}

	}

}
