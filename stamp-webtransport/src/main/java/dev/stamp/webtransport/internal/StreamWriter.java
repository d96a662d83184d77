package dev.stamp.webtransport.internal;

import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;

import dev.stamp.webtransport.WebTransportStreamException;

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
 * they know whether the end follows it: {@link StreamChunkSender} until the publisher's
 * next signal, at most until the current receive batch (see {@link ReceiveBatch}) or
 * event-loop task ends; {@link BlockingStreamOutput} until the next write, a flush, the
 * close, a blocking read of the same stream, or
 * {@link BlockingStreamOutput#AUTO_FLUSH_DELAY}.
 * <p>
 * Only an end that comes alone, after all data went out, is sent as an empty FIN, and
 * always from a task of its own (see {@link #finish()}).
 * <p>
 * This class holds what both front ends share: the sends themselves, in order, and the
 * wait for the channel to accept more.
 */
final class StreamWriter {

	private final QuicStreamChannel channel;

	private final EngineStats stats;

	/** Waiters for writability; event loop only. */
	private final ArrayDeque<Runnable> writabilityWaiters = new ArrayDeque<>();

	/**
	 * Blocking writers wait on this monitor; it also orders a blocking writer's sends.
	 */
	private final Object writeMonitor = new Object();

	/** The most recent write, so that the next one can wait for it. */
	private volatile @Nullable ChannelFuture lastWrite;

	/**
	 * A thread of the application is blocked reading this stream: held-back output would
	 * only delay its answer.
	 */
	private volatile boolean readerBlocked;

	private @Nullable BlockingStreamOutput blockingOutput;

	StreamWriter(QuicStreamChannel channel, EngineStats stats) {
		this.channel = channel;
		this.stats = stats;
	}

	QuicStreamChannel channel() {
		return this.channel;
	}

	long id() {
		return this.channel.streamId();
	}

	/**
	 * The monitor blocking writers wait on for writability; it also orders a blocking
	 * writer's sends.
	 * @return the write monitor
	 */
	Object writeMonitor() {
		return this.writeMonitor;
	}

	/**
	 * Whether a thread of the application is blocked reading this stream.
	 * @return {@code true} if a reader is blocked
	 */
	boolean isReaderBlocked() {
		return this.readerBlocked;
	}

	/**
	 * Writes a copy of the bytes; with {@code fin}, they end the stream. Any thread.
	 * @param data the bytes
	 * @param offset the index of the first byte to write
	 * @param length the number of bytes to write
	 * @param fin whether the bytes end the stream
	 * @return the future of the write
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
	ChannelFuture send(ByteBuf buf, boolean fin, boolean queued) {
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
	boolean canWriteMore() {
		ChannelFuture last = this.lastWrite;
		return last == null || last.isDone() || !this.channel.isActive();
	}

	/**
	 * Runs {@code action} on the event loop now if another chunk may go out (or the
	 * stream is gone), else later.
	 * @param action what to run on the event loop
	 */
	void whenWritable(Runnable action) {
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
		BlockingStreamOutput output;
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
		BlockingStreamOutput output;
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

	/**
	 * The stream's blocking output, made on first use.
	 * @return the output stream
	 */
	synchronized OutputStream outputStream() {
		if (this.blockingOutput == null) {
			this.blockingOutput = new BlockingStreamOutput(this);
		}
		return this.blockingOutput;
	}

	/**
	 * A subscriber that writes a publisher's chunks to this stream and ends it, reporting
	 * the outcome to {@code result}.
	 * @param result the sink the outcome is reported to
	 * @return the subscriber
	 */
	StreamChunkSender chunkSender(MonoSink<Void> result) {
		return new StreamChunkSender(this, result);
	}

}
