package dev.stamp.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * One stream of the stream echo figures, whatever client carries it: what the client
 * sends and the check of what comes back.
 * <p>
 * The client sends {@value #CHUNK}-byte chunks of one pseudo-random pattern; each chunk
 * starts with its stream number and its chunk number, so that a lost, repeated, reordered
 * or misrouted chunk cannot pass the check. The check compares whole ranges with the
 * pattern ({@link Arrays#equals(byte[], int, int, byte[], int, int)} and
 * {@link ByteBufUtil#equals}, both vectorised), so that verifying costs the load
 * generator far less than moving the bytes. Bytes count once they came back and matched.
 * <p>
 * At most {@code maxInFlight} bytes may be sent and not back yet, on top of the
 * transport's own backpressure: this bounds the client's memory and the time it takes to
 * drain the stream when the run ends. The sending side and the receiving side may run on
 * different threads, each on one thread at a time.
 */
final class StreamEcho {

	static final int CHUNK = 64 * 1024;

	/** Stream number (int) and chunk number (long) at the start of every chunk. */
	private static final int HEADER = 12;

	private static final byte[] PATTERN = pattern();

	private static final ByteBuf PATTERN_BUFFER = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(PATTERN));

	private final Tally tally;

	private final int stream;

	private final long maxInFlight;

	private final CountDownLatch ended;

	private final AtomicBoolean endSignalled = new AtomicBoolean();

	private volatile Runnable wakeSender = () -> {
	};

	/** Chunks handed to the client; written by the sending side only. */
	private volatile long chunksSent;

	/**
	 * Bytes that came back (checked unless the stream is broken); written by the
	 * receiving side only.
	 */
	private volatile long received;

	/**
	 * Set by the sending side when it stopped for want of room; the receiving side then
	 * wakes it.
	 */
	private volatile boolean senderWaiting;

	/** Bytes sent in all, once the sending side ended the stream; -1 before. */
	private volatile long finalLength = -1;

	private boolean broken;

	private final byte[] expectedHeader = new byte[HEADER];

	private long expectedHeaderChunk = -1;

	/**
	 * Creates one stream's echo and its check.
	 * @param tally where verified bytes, mismatches and errors are counted
	 * @param stream this stream's number, unique in the run
	 * @param maxInFlight bytes that may be sent and not back yet
	 * @param ended counted down once when this echo ended, whether completely or not
	 */
	StreamEcho(Tally tally, int stream, long maxInFlight, CountDownLatch ended) {
		this.tally = tally;
		this.stream = stream;
		this.maxInFlight = maxInFlight;
		this.ended = ended;
	}

	/** Whether the sending side should end the stream (FIN) instead of sending more. */
	boolean stopping() {
		return this.tally.stopping;
	}

	/**
	 * What the sending side runs to look again at {@link #stopping()} and
	 * {@link #hasRoom()}: when the run stops, and when echoes made room after it found
	 * none. It may run on any thread.
	 */
	void wakeSender(Runnable wakeSender) {
		this.wakeSender = wakeSender;
	}

	/**
	 * Whether the sending side may hand over another chunk now. If not, the sender is
	 * woken once echoes made room.
	 */
	boolean hasRoom() {
		if (inFlight() < this.maxInFlight) {
			return true;
		}
		this.senderWaiting = true;
		// Echoes may have made room between the check and the flag: then the receiver did
		// not see the flag.
		if (inFlight() < this.maxInFlight) {
			this.senderWaiting = false;
			return true;
		}
		return false;
	}

	private long inFlight() {
		return this.chunksSent * CHUNK - this.received;
	}

	/**
	 * Stops every stream: each one ends its side, and the echo ends when all it sent came
	 * back.
	 */
	static void stop(Tally tally, List<StreamEcho> echoes) {
		tally.stopping = true;
		for (StreamEcho echo : echoes) {
			echo.wakeSender.run();
		}
	}

	/** The next chunk as a new array, for clients that take arrays. */
	byte[] nextChunk() {
		byte[] chunk = PATTERN.clone();
		long index = this.chunksSent;
		writeHeader(chunk, this.stream, index);
		this.chunksSent = index + 1;
		return chunk;
	}

	/** The next chunk as a new direct buffer, which the caller owns. */
	ByteBuf nextChunk(ByteBufAllocator allocator) {
		long index = this.chunksSent;
		ByteBuf chunk = allocator.directBuffer(CHUNK).writeBytes(PATTERN);
		chunk.setInt(0, this.stream).setLong(4, index);
		this.chunksSent = index + 1;
		return chunk;
	}

	/** Bytes that came back, as an array. */
	void received(byte[] data) {
		verify(data, null, 0, data.length);
	}

	/** Bytes that came back, as a buffer; the caller keeps ownership. */
	void received(ByteBuf data) {
		verify(null, data, data.readerIndex(), data.readableBytes());
	}

	/** Whether the echo ended, completely or not. */
	boolean hasEnded() {
		return this.endSignalled.get();
	}

	/** Where the echo stands, for error messages. */
	String progress() {
		return "stream " + this.stream + ": " + this.received + " of " + this.chunksSent * CHUNK + " bytes back"
				+ ((this.finalLength >= 0) ? ", FIN sent" : "");
	}

	/**
	 * The sending side ended the stream (FIN) after its last chunk. The echo is complete
	 * once every byte sent came back: the server's FIN is not waited for, it is not what
	 * the figure measures (and Netty's QUIC streams lose a FIN now and then, see
	 * {@link RawQuicServer#finish}).
	 */
	void senderFinished() {
		long length = this.chunksSent * CHUNK;
		this.finalLength = length;
		if (this.received >= length) {
			end();
		}
	}

	/** The server ended its side (FIN): every byte sent must have come back. */
	void finished() {
		long sent = this.chunksSent * CHUNK;
		if (!this.broken && this.received != sent) {
			this.tally.mismatch("stream " + this.stream + " ended after " + this.received + " of " + sent + " bytes");
		}
		end();
	}

	/** The stream failed; an error unless the echo already ended. */
	void failed(String why) {
		if (this.endSignalled.compareAndSet(false, true)) {
			this.tally.error("stream " + this.stream + ": " + why);
			this.ended.countDown();
		}
	}

	private void end() {
		if (this.endSignalled.compareAndSet(false, true)) {
			this.ended.countDown();
		}
	}

	private void verify(byte[] array, ByteBuf buffer, int index, int length) {
		long position = this.received;
		int checked = 0;
		while (checked < length && !this.broken) {
			long chunk = position / CHUNK;
			int offset = (int) (position % CHUNK);
			int count = Math.min(length - checked, CHUNK - offset);
			if (!matches(array, buffer, index + checked, chunk, offset, count)) {
				this.broken = true;
				this.tally.mismatch("stream " + this.stream + ": bytes " + position + " to " + (position + count)
						+ " are not the ones sent");
			}
			else {
				this.tally.completed(count);
			}
			position += count;
			checked += count;
		}
		// A broken stream is not checked any more, but still counted, so that its sender
		// does not wait forever.
		this.received += length;
		long finalLength = this.finalLength;
		if (finalLength >= 0 && this.received >= finalLength) {
			end();
		}
		else if (this.senderWaiting && inFlight() < this.maxInFlight) {
			this.senderWaiting = false;
			this.wakeSender.run();
		}
	}

	private boolean matches(byte[] array, ByteBuf buffer, int index, long chunk, int offset, int count) {
		int end = offset + count;
		if (offset < HEADER) {
			if (chunk != this.expectedHeaderChunk) {
				writeHeader(this.expectedHeader, this.stream, chunk);
				this.expectedHeaderChunk = chunk;
			}
			int headerEnd = Math.min(end, HEADER);
			for (int i = offset; i < headerEnd; i++) {
				byte actual = (array != null) ? array[index + i - offset] : buffer.getByte(index + i - offset);
				if (actual != this.expectedHeader[i]) {
					return false;
				}
			}
			index += headerEnd - offset;
			offset = headerEnd;
		}
		if (offset == end) {
			return true;
		}
		return (array != null) ? Arrays.equals(array, index, index + end - offset, PATTERN, offset, end)
				: ByteBufUtil.equals(buffer, index, PATTERN_BUFFER, offset, end - offset);
	}

	/** Big-endian, as {@link ByteBuf#setInt} and {@link ByteBuf#setLong} write it. */
	private static void writeHeader(byte[] target, int stream, long chunk) {
		for (int i = 0; i < 4; i++) {
			target[i] = (byte) (stream >>> (24 - 8 * i));
		}
		for (int i = 0; i < 8; i++) {
			target[4 + i] = (byte) (chunk >>> (56 - 8 * i));
		}
	}

	private static byte[] pattern() {
		byte[] pattern = new byte[CHUNK];
		new Random(64).nextBytes(pattern);
		return pattern;
	}

}
