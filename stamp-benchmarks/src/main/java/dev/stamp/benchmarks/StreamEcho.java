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
 * One stream of the stream echo figures, whatever client carries it: what the client sends and the check of what
 * comes back.
 * <p>
 * The client sends {@value #CHUNK}-byte chunks of one pseudo-random pattern; each chunk starts with its stream number
 * and its chunk number, so that a lost, repeated, reordered or misrouted chunk cannot pass the check. The check
 * compares whole ranges with the pattern ({@link Arrays#equals(byte[], int, int, byte[], int, int)} and
 * {@link ByteBufUtil#equals}, both vectorised), so that verifying costs the load generator far less than moving the
 * bytes. Bytes count once they came back and matched.
 * <p>
 * The sending side and the receiving side may run on different threads, each on one thread at a time.
 */
final class StreamEcho {

	static final int CHUNK = 64 * 1024;

	/** Stream number (int) and chunk number (long) at the start of every chunk. */
	private static final int HEADER = 12;

	private static final byte[] PATTERN = pattern();

	private static final ByteBuf PATTERN_BUFFER = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(PATTERN));

	private final Tally tally;

	private final int stream;

	private final CountDownLatch ended;

	private final AtomicBoolean endSignalled = new AtomicBoolean();

	private volatile Runnable onStop = () -> {
	};

	/** Chunks handed to the client; written by the sending side only. */
	private volatile long chunksSent;

	/** Bytes that came back, checked; receiving side only. */
	private long received;

	private boolean broken;

	private final byte[] expectedHeader = new byte[HEADER];

	private long expectedHeaderChunk = -1;

	/**
	 * @param tally where verified bytes, mismatches and errors are counted
	 * @param stream this stream's number, unique in the run
	 * @param ended counted down once when this echo ended, whether completely or not
	 */
	StreamEcho(Tally tally, int stream, CountDownLatch ended) {
		this.tally = tally;
		this.stream = stream;
		this.ended = ended;
	}

	/** Whether the sending side should end the stream (FIN) instead of sending more. */
	boolean stopping() {
		return this.tally.stopping;
	}

	/** Called when the run stops, for clients that send only on an event (writability): they finish now. */
	void onStop(Runnable onStop) {
		this.onStop = onStop;
	}

	/** Stops every stream: each one ends its side, and the echo ends when the server's FIN came back. */
	static void stop(Tally tally, List<StreamEcho> echoes) {
		tally.stopping = true;
		for (StreamEcho echo : echoes) {
			echo.onStop.run();
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

	/** The server ended its side (FIN): the echo is complete if every byte sent came back. */
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
		if (this.broken) {
			return;
		}
		int checked = 0;
		while (checked < length) {
			long chunk = this.received / CHUNK;
			int offset = (int) (this.received % CHUNK);
			int count = Math.min(length - checked, CHUNK - offset);
			if (!matches(array, buffer, index + checked, chunk, offset, count)) {
				this.broken = true;
				this.tally.mismatch("stream " + this.stream + ": bytes " + this.received + " to "
						+ (this.received + count) + " are not the ones sent");
				return;
			}
			this.received += count;
			checked += count;
		}
		this.tally.completed(length);
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
