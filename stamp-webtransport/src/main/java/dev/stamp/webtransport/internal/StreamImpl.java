package dev.stamp.webtransport.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.protocol.WebTransportErrorCodes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * The engine's {@link WebTransportStream}: a QUIC stream whose WebTransport header was already read or written.
 * <p>
 * Inbound bytes are copied out of Netty's buffers on the event loop (the {@link StreamHandler} releases them) into
 * an {@link InboundQueue} bounded by {@link #RECEIVE_WINDOW}; the stream channel runs with auto-read off and reads
 * again only while the queue has room, so QUIC flow control pushes back on the peer. Outbound writes copy the
 * caller's bytes into a new buffer whose ownership passes to the channel.
 */
public final class StreamImpl implements WebTransportStream {

	private static final Logger logger = LoggerFactory.getLogger(StreamImpl.class);

	/** Bytes buffered for the application before reading from QUIC pauses. */
	static final int RECEIVE_WINDOW = 256 * 1024;

	/** Largest chunk one blocking write puts on the channel before checking writability again. */
	private static final int MAX_WRITE_CHUNK = 64 * 1024;

	private final QuicStreamChannel channel;

	private final SessionImpl session;

	private final InboundQueue<byte[]> inbound;

	private final Sinks.Empty<Void> closed = Sinks.empty();

	/** Reactive writers waiting for writability; event loop only. */
	private final ArrayDeque<Runnable> writabilityWaiters = new ArrayDeque<>();

	/** Blocking writers wait on this monitor. */
	private final Object writeMonitor = new Object();

	private volatile boolean readPaused;

	private volatile Throwable writeFailure;

	/** The most recent write, so that FIN goes out only after it. */
	private volatile ChannelFuture lastWrite;

	private InputStream inputStream;

	private OutputStream outputStream;

	StreamImpl(QuicStreamChannel channel, SessionImpl session) {
		this.channel = channel;
		this.session = session;
		this.inbound = new InboundQueue<>(RECEIVE_WINDOW, (bytes) -> bytes.length, this::resumeReading, null);
		if (!canReceive()) {
			this.inbound.complete();
		}
	}

	QuicStreamChannel channel() {
		return this.channel;
	}

	@Override
	public long id() {
		return this.channel.streamId();
	}

	@Override
	public WebTransportSession session() {
		return this.session;
	}

	@Override
	public boolean isBidirectional() {
		return this.channel.type() == QuicStreamType.BIDIRECTIONAL;
	}

	@Override
	public boolean isLocallyOpened() {
		return this.channel.isLocalCreated();
	}

	@Override
	public boolean canReceive() {
		return isBidirectional() || !isLocallyOpened();
	}

	@Override
	public boolean canSend() {
		return isBidirectional() || isLocallyOpened();
	}

	// ---- called by StreamHandler on the event loop

	/** Takes a copy of {@code data}; the caller keeps ownership of (and releases) the buffer. */
	void onData(ByteBuf data) {
		if (!data.isReadable()) {
			return;
		}
		byte[] bytes = new byte[data.readableBytes()];
		data.readBytes(bytes);
		this.session.stats().streamBytesReceived(bytes.length);
		this.inbound.offer(bytes);
	}

	void onReadComplete() {
		if (this.inbound.isCancelled()) {
			return;
		}
		if (this.inbound.hasRoom()) {
			this.channel.read();
			return;
		}
		// Paused first, then checked again: a consumer that made room in between saw readPaused false and will not
		// resume reading, so this thread does.
		this.readPaused = true;
		if (this.inbound.hasRoom()) {
			this.readPaused = false;
			this.channel.read();
		}
		else if (logger.isTraceEnabled()) {
			logger.trace("Stream {} paused reading: its consumer is behind", id());
		}
	}

	void onInputFinished() {
		this.inbound.complete();
	}

	void onReset(long http3Code) {
		long code = WebTransportErrorCodes.fromHttp3(http3Code);
		this.inbound.fail(new WebTransportStreamException("Stream " + id() + " was reset by the peer"
				+ ((code >= 0) ? " with code " + code : " with HTTP/3 code 0x" + Long.toHexString(http3Code)), code));
	}

	void onWritabilityChanged() {
		synchronized (this.writeMonitor) {
			this.writeMonitor.notifyAll();
		}
		while (this.channel.isWritable() && !this.writabilityWaiters.isEmpty()) {
			this.writabilityWaiters.poll().run();
		}
	}

	void onClosed() {
		this.inbound.fail(new WebTransportStreamException("Stream " + id() + " closed", -1));
		synchronized (this.writeMonitor) {
			this.writeMonitor.notifyAll();
		}
		Runnable waiter;
		while ((waiter = this.writabilityWaiters.poll()) != null) {
			waiter.run();
		}
		this.closed.tryEmitEmpty();
		this.session.streamClosed(this);
	}

	private void resumeReading() {
		if (this.readPaused) {
			this.channel.eventLoop().execute(() -> {
				if (this.readPaused && this.inbound.hasRoom()) {
					this.readPaused = false;
					this.channel.read();
				}
			});
		}
	}

	// ---- reactive API

	@Override
	public Flux<byte[]> receive() {
		if (!canReceive()) {
			return Flux.error(new IllegalStateException("Stream " + id() + " is send-only"));
		}
		return this.inbound.flux().doOnCancel(() -> stopSending(0));
	}

	@Override
	public Mono<Void> send(Publisher<byte[]> data) {
		if (!canSend()) {
			return Mono.error(new IllegalStateException("Stream " + id() + " is receive-only"));
		}
		return Mono.create((sink) -> data.subscribe(new SendSubscriber(sink)));
	}

	@Override
	public Mono<Void> write(byte[] data) {
		if (!canSend()) {
			return Mono.error(new IllegalStateException("Stream " + id() + " is receive-only"));
		}
		return Mono.create((sink) -> completeWith(sink, writeCopy(data, 0, data.length)));
	}

	@Override
	public Mono<Void> finish() {
		if (!canSend()) {
			return Mono.error(new IllegalStateException("Stream " + id() + " is receive-only"));
		}
		return Mono.create((sink) -> completeWith(sink, writeFin()));
	}

	@Override
	public void reset(long code) {
		long http3Code = WebTransportErrorCodes.toHttp3(code);
		this.channel.eventLoop().execute(() -> StreamErrors.resetSending(this.channel, http3Code));
	}

	@Override
	public void stopSending(long code) {
		long http3Code = WebTransportErrorCodes.toHttp3(code);
		this.channel.eventLoop().execute(() -> StreamErrors.stopReceiving(this.channel, http3Code));
	}

	/** Aborts both directions with an HTTP/3 code (session gone, limits); event loop only. */
	void abort(long http3Code) {
		if (canSend()) {
			StreamErrors.resetSending(this.channel, http3Code);
		}
		if (canReceive()) {
			StreamErrors.stopReceiving(this.channel, http3Code);
		}
		this.channel.close();
	}

	@Override
	public Mono<Void> closeSignal() {
		return this.closed.asMono();
	}

	private ChannelFuture writeCopy(byte[] data, int offset, int length) {
		ByteBuf buf = this.channel.alloc().directBuffer(length).writeBytes(data, offset, length);
		this.session.stats().streamBytesSent(length);
		// Ownership of buf passes to the channel, which releases it once written (or failed).
		ChannelFuture written = this.channel.writeAndFlush(buf);
		this.lastWrite = written;
		return written;
	}

	/**
	 * Ends the sending side (FIN) after everything written so far was accepted by QUIC, and only while the stream has
	 * send capacity. Netty's {@code shutdownOutput()} alone would send FIN at once and cut off writes still queued
	 * behind flow or congestion control. An empty FIN that quiche refuses for lack of capacity (the last write may have
	 * used it all) stays queued in Netty 4.2.17 and is never sent; and one issued from inside another stream callback
	 * can be lost too. So: wait for the last write, then for capacity, then shut the output down in a task of its own.
	 */
	private ChannelFuture writeFin() {
		ChannelPromise fin = this.channel.newPromise();
		Runnable shutdown = () -> this.channel.eventLoop()
			.execute(() -> whenWritable(() -> this.channel.shutdownOutput(fin)));
		this.channel.eventLoop().execute(() -> {
			ChannelFuture last = this.lastWrite;
			if (last == null || last.isDone()) {
				shutdown.run();
			}
			else {
				last.addListener((f) -> shutdown.run());
			}
		});
		return fin;
	}

	/** Runs {@code action} on the event loop now if the stream can send (or is gone), else once it can again. */
	private void whenWritable(Runnable action) {
		if (this.channel.isWritable() || !this.channel.isActive()) {
			action.run();
		}
		else {
			this.writabilityWaiters.add(action);
		}
	}

	private void completeWith(MonoSink<Void> sink, ChannelFuture future) {
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
	 * A write failure as the application should see it. Netty reports the peer's STOP_SENDING as an output
	 * shutdown, without the peer's error code.
	 */
	private Throwable writeFailure(Throwable cause) {
		if (cause instanceof io.netty.channel.socket.ChannelOutputShutdownException) {
			WebTransportStreamException stopped = new WebTransportStreamException(
					"Stream " + id() + " can no longer send (the peer sent STOP_SENDING, or the stream ended)", -1);
			stopped.initCause(cause);
			return stopped;
		}
		return cause;
	}

	/** Writes one chunk at a time, asking for the next only while the stream is writable. */
	private final class SendSubscriber extends BaseSubscriber<byte[]> {

		private final MonoSink<Void> result;

		SendSubscriber(MonoSink<Void> result) {
			this.result = result;
			result.onCancel(this::dispose);
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(1);
		}

		@Override
		protected void hookOnNext(byte[] chunk) {
			// Ask for the next chunk exactly once: as soon as the stream is writable again, or when QUIC accepted
			// this chunk, whichever comes first (the write completing does not depend on writability events).
			java.util.concurrent.atomic.AtomicBoolean next = new java.util.concurrent.atomic.AtomicBoolean();
			Runnable requestNext = () -> {
				if (next.compareAndSet(false, true) && !isDisposed()) {
					request(1);
				}
			};
			ChannelFuture written = writeCopy(chunk, 0, chunk.length);
			written.addListener((f) -> {
				if (!f.isSuccess()) {
					cancel();
					this.result.error(writeFailure(f.cause()));
				}
				else {
					requestNext.run();
				}
			});
			StreamImpl.this.channel.eventLoop().execute(() -> {
				if (StreamImpl.this.channel.isWritable() || !StreamImpl.this.channel.isActive()) {
					requestNext.run();
				}
				else {
					StreamImpl.this.writabilityWaiters.add(requestNext);
				}
			});
		}

		@Override
		protected void hookOnComplete() {
			completeWith(this.result, writeFin());
		}

		@Override
		protected void hookOnError(Throwable error) {
			reset(0);
			this.result.error(error);
		}

	}

	// ---- blocking API

	@Override
	public synchronized InputStream inputStream() {
		if (this.inputStream == null) {
			this.inputStream = new BlockingInput();
		}
		return this.inputStream;
	}

	@Override
	public synchronized OutputStream outputStream() {
		if (this.outputStream == null) {
			this.outputStream = new BlockingOutput();
		}
		return this.outputStream;
	}

	private void assertNotOnEventLoop() {
		if (this.channel.eventLoop().inEventLoop()) {
			throw new IllegalStateException("Blocking stream I/O on a Netty event loop; use the reactive API there, "
					+ "or run the handler as a blocking handler");
		}
	}

	private final class BlockingInput extends InputStream {

		private byte[] current;

		private int position;

		private boolean eof;

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			if (!fill()) {
				return -1;
			}
			int n = Math.min(length, this.current.length - this.position);
			System.arraycopy(this.current, this.position, target, offset, n);
			this.position += n;
			return n;
		}

		@Override
		public int available() {
			return (this.current != null) ? this.current.length - this.position : 0;
		}

		private boolean fill() throws IOException {
			while (this.current == null || this.position == this.current.length) {
				if (this.eof) {
					return false;
				}
				if (!canReceive()) {
					throw new IOException("Stream " + id() + " is send-only");
				}
				assertNotOnEventLoop();
				try {
					byte[] next = StreamImpl.this.inbound.poll(Duration.ofDays(365));
					if (next == null && StreamImpl.this.inbound.isFinished()) {
						this.eof = true;
						return false;
					}
					this.current = next;
					this.position = 0;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("Interrupted while reading stream " + id());
				}
				catch (InboundQueue.QueueFailedException ex) {
					if (ex.getCause() instanceof IOException) {
						throw (IOException) ex.getCause();
					}
					throw new IOException(ex.getCause());
				}
			}
			return true;
		}

		@Override
		public void close() {
			if (canReceive() && !StreamImpl.this.inbound.isFinished()) {
				stopSending(0);
			}
		}

	}

	private final class BlockingOutput extends OutputStream {

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
			if (!canSend()) {
				throw new IOException("Stream " + id() + " is receive-only");
			}
			assertNotOnEventLoop();
			int written = 0;
			while (written < length) {
				awaitWritable();
				int chunk = Math.min(MAX_WRITE_CHUNK, length - written);
				writeCopy(data, offset + written, chunk).addListener((f) -> {
					if (!f.isSuccess()) {
						StreamImpl.this.writeFailure = writeFailure(f.cause());
						synchronized (StreamImpl.this.writeMonitor) {
							StreamImpl.this.writeMonitor.notifyAll();
						}
					}
				});
				written += chunk;
			}
		}

		private void awaitWritable() throws IOException {
			synchronized (StreamImpl.this.writeMonitor) {
				while (true) {
					checkWriteFailure();
					if (!StreamImpl.this.channel.isActive() || StreamImpl.this.channel.isOutputShutdown()) {
						throw new WebTransportStreamException("Stream " + id() + " can no longer send", -1);
					}
					ChannelFuture last = StreamImpl.this.lastWrite;
					if (StreamImpl.this.channel.isWritable() || last == null || last.isDone()) {
						return; // writable, or QUIC accepted everything written so far
					}
					try {
						StreamImpl.this.writeMonitor.wait(100);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new InterruptedIOException("Interrupted while writing stream " + id());
					}
				}
			}
		}

		private void checkWriteFailure() throws IOException {
			Throwable failure = StreamImpl.this.writeFailure;
			if (failure != null) {
				throw (failure instanceof IOException) ? (IOException) failure : new IOException(failure);
			}
		}

		@Override
		public void close() throws IOException {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (!canSend()) {
				return;
			}
			assertNotOnEventLoop();
			ChannelFuture fin = writeFin();
			fin.awaitUninterruptibly(30_000);
			checkWriteFailure();
			if (fin.isDone() && !fin.isSuccess() && StreamImpl.this.channel.isActive()) {
				throw new IOException("Could not end stream " + id(), fin.cause());
			}
		}

	}

}
