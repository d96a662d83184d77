package dev.stamp.webtransport.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import org.jspecify.annotations.Nullable;

import dev.stamp.webtransport.WebTransportStreamException;

/**
 * The blocking front end of a {@link StreamWriter}: a stream's {@link OutputStream}.
 * {@code write} waits while the stream is not writable. The last chunk written is held
 * back (see {@link StreamWriter}) and {@code flush()} sends it at once.
 */
final class BlockingStreamOutput extends OutputStream {

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

	private final StreamWriter writer;

	private final Object monitor;

	/** The most recent chunk, not sent yet; guarded by {@link #monitor}. */
	private @Nullable ByteBuf held;

	/** When {@link #held} was last replaced; guarded by {@link #monitor}. */
	private long heldSince;

	/** An auto-flush task is scheduled; guarded by {@link #monitor}. */
	private boolean autoFlushScheduled;

	/**
	 * The stream closed: nothing may be held any more; guarded by {@link #monitor}.
	 */
	private boolean discarded;

	/** Written by failed sends, from the event loop. */
	private volatile @Nullable Throwable failure;

	private boolean closed;

	BlockingStreamOutput(StreamWriter writer) {
		this.writer = writer;
		this.monitor = writer.writeMonitor();
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] data, int offset, int length) throws IOException {
		if (this.closed) {
			throw new IOException("Stream " + this.writer.id() + " output is closed");
		}
		assertNotOnEventLoop();
		int written = 0;
		while (written < length) {
			int size = Math.min(MAX_WRITE_CHUNK, length - written);
			ByteBuf chunk = this.writer.channel().alloc().directBuffer(size);
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
					throw new WebTransportStreamException("Stream " + this.writer.id() + " can no longer send", -1);
				}
				// The earlier chunk has a successor, so it is not the last: out it goes,
				// in order with any auto-flush, which also takes the held chunk under
				// this monitor.
				if (this.held != null) {
					sendInOrder(this.held, false);
				}
				this.held = chunk;
				this.heldSince = System.nanoTime();
			}
		}
		if (this.writer.isReaderBlocked()) {
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
	 * Sends from a task of its own, even on the event loop (the auto-flush), so that a
	 * chunk a writer thread handed to the event loop just before is written first.
	 * Callers hold {@link #monitor} or own the chunk.
	 * @param chunk the bytes to send, owned by the writer from here on
	 * @param fin whether the chunk ends the stream
	 */
	private void sendInOrder(ByteBuf chunk, boolean fin) {
		this.writer.send(chunk, fin, true).addListener((f) -> {
			if (!f.isSuccess()) {
				this.failure = this.writer.writeFailure(f.cause());
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
			this.writer.channel().eventLoop().schedule(this::autoFlush, nanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			synchronized (this.monitor) {
				this.autoFlushScheduled = false;
			}
		}
	}

	/**
	 * Sends a chunk that waited {@link #AUTO_FLUSH_DELAY}; a newer chunk gets the rest of
	 * its own delay.
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
				if (!this.writer.channel().isActive() || this.writer.channel().isOutputShutdown()) {
					throw new WebTransportStreamException("Stream " + this.writer.id() + " can no longer send", -1);
				}
				if (this.writer.canWriteMore()) {
					return;
				}
				try {
					this.monitor.wait(1000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("Interrupted while writing stream " + this.writer.id());
				}
			}
		}
	}

	private void assertNotOnEventLoop() {
		if (this.writer.channel().eventLoop().inEventLoop()) {
			throw new IllegalStateException("Blocking stream I/O on a Netty event loop; use the reactive API there, "
					+ "or run the handler as a blocking handler");
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
			fin = this.writer.send((chunk != null) ? chunk : Unpooled.EMPTY_BUFFER, true, true);
		}
		fin.awaitUninterruptibly(30_000);
		checkFailure();
		if (fin.isDone() && !fin.isSuccess() && this.writer.channel().isActive()) {
			throw new IOException("Could not end stream " + this.writer.id(), this.writer.writeFailure(fin.cause()));
		}
	}

}
