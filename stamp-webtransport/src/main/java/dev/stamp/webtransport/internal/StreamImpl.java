package dev.stamp.webtransport.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

/**
 * The engine's {@link WebTransportStream}: a QUIC stream whose WebTransport header was
 * already read or written.
 * <p>
 * Inbound bytes are copied out of Netty's buffers on the event loop (the
 * {@link StreamHandler} releases them) into an {@link InboundQueue} bounded by
 * {@link #RECEIVE_WINDOW}; the stream channel runs with auto-read off and reads again
 * only while the queue has room, so QUIC flow control pushes back on the peer. Sending is
 * the {@link StreamWriter}'s.
 */
public final class StreamImpl implements WebTransportStream {

	private static final Logger logger = LoggerFactory.getLogger(StreamImpl.class);

	/** Bytes buffered for the application before reading from QUIC pauses. */
	static final int RECEIVE_WINDOW = 256 * 1024;

	private final QuicStreamChannel channel;

	private final SessionImpl session;

	private final InboundQueue<byte[]> inbound;

	private final StreamWriter writer;

	private final Sinks.Empty<Void> closed = Sinks.empty();

	private volatile boolean readPaused;

	private InputStream inputStream;

	StreamImpl(QuicStreamChannel channel, SessionImpl session) {
		this.channel = channel;
		this.session = session;
		this.inbound = new InboundQueue<>(RECEIVE_WINDOW, (bytes) -> bytes.length, this::resumeReading, null);
		this.writer = new StreamWriter(channel, session.stats());
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

	/**
	 * Takes a copy of {@code data}; the caller keeps ownership of (and releases) the
	 * buffer.
	 * @param data the received bytes
	 */
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
		// Paused first, then checked again: a consumer that made room in between saw
		// readPaused false and will not resume reading, so this thread does.
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
		long code = Http3ErrorCodes.toApplicationCode(http3Code);
		this.inbound.fail(new WebTransportStreamException(
				"Stream " + id() + " was reset by the peer"
						+ ((code >= 0) ? " with code " + code : " with HTTP/3 code 0x" + Long.toHexString(http3Code)),
				code));
	}

	void onWritabilityChanged() {
		this.writer.onWritabilityChanged();
	}

	void onClosed() {
		if (!this.inbound.isEnded()) {
			// Only when someone may still read: most streams closed after their FIN, and
			// an exception's stack trace is a good part of what closing a stream costs.
			this.inbound.fail(new WebTransportStreamException("Stream " + id() + " closed", -1));
		}
		this.writer.onClosed();
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
		// Subscribed from the event loop, where the sender lives: a synchronous
		// publisher's last chunk and its completion then arrive in one task, and FIN goes
		// out with that chunk.
		return Mono.create((sink) -> {
			StreamChunkSender sender = this.writer.chunkSender(sink);
			try {
				this.channel.eventLoop().execute(() -> data.subscribe(sender));
			}
			catch (RejectedExecutionException ex) {
				sink.error(new WebTransportStreamException("Stream " + id() + " closed", -1));
			}
		});
	}

	@Override
	public Mono<Void> write(byte[] data) {
		if (!canSend()) {
			return Mono.error(new IllegalStateException("Stream " + id() + " is receive-only"));
		}
		return Mono.create((sink) -> this.writer.completeWith(sink, this.writer.write(data, 0, data.length, false)));
	}

	@Override
	public Mono<Void> finish() {
		if (!canSend()) {
			return Mono.error(new IllegalStateException("Stream " + id() + " is receive-only"));
		}
		return Mono.create((sink) -> this.writer.completeWith(sink, this.writer.finish()));
	}

	@Override
	public void reset(long code) {
		long http3Code = Http3ErrorCodes.fromApplicationCode(code);
		this.channel.eventLoop().execute(() -> StreamErrors.resetSending(this.channel, http3Code));
	}

	@Override
	public void stopSending(long code) {
		long http3Code = Http3ErrorCodes.fromApplicationCode(code);
		this.channel.eventLoop().execute(() -> StreamErrors.stopReceiving(this.channel, http3Code));
	}

	/**
	 * Aborts both directions with an HTTP/3 code (session gone, limits); event loop only.
	 * @param http3Code the HTTP/3 error code to send
	 */
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

	// ---- blocking API

	@Override
	public synchronized InputStream inputStream() {
		if (this.inputStream == null) {
			this.inputStream = new BlockingInput();
		}
		return this.inputStream;
	}

	@Override
	public OutputStream outputStream() {
		if (!canSend()) {
			return new OutputStream() {
				@Override
				public void write(int b) throws IOException {
					throw new IOException("Stream " + id() + " is receive-only");
				}
			};
		}
		return this.writer.outputStream();
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
					byte[] next = StreamImpl.this.inbound.poll(Duration.ZERO);
					if (next == null && !StreamImpl.this.inbound.isFinished()) {
						// About to wait for the peer, which may be waiting for what this
						// thread wrote last.
						InboundQueue<byte[]> input = StreamImpl.this.inbound;
						StreamImpl.this.writer.readerBlocked(true, input::isAwaitingItems);
						try {
							next = input.poll(Duration.ofDays(365));
						}
						finally {
							StreamImpl.this.writer.readerBlocked(false, input::isAwaitingItems);
						}
					}
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

}
