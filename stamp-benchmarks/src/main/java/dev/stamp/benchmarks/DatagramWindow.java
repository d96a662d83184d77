package dev.stamp.benchmarks;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One session's datagrams in the datagram figure, whatever client carries them:
 * {@value #WINDOW} datagrams of {@value #SIZE} bytes in flight, each sent again as soon
 * as its echo came back and matched. A datagram carries its session, its slot in the
 * window and a sequence number, then a fixed pattern: the echo is checked whole and
 * matched to its send time for the round-trip latency. Datagrams may be lost, so one not
 * back after {@link #LOSS_TIMEOUT_NANOS} is counted lost and replaced, and an echo that
 * comes back later is ignored.
 * <p>
 * Thread-safe: echoes arrive on the client's event loop, expiry runs on a timer.
 */
final class DatagramWindow {

	static final int WINDOW = 32;

	static final int SIZE = 64;

	/** Far above a loopback round trip, even on a saturated machine. */
	static final long LOSS_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	/** Session (int), slot (int), sequence number (long). */
	private static final int HEADER = 16;

	private static final byte[] PATTERN = pattern();

	private final Tally tally;

	private final int session;

	/** Sequence number in flight per slot; -1 when the slot is empty. */
	private final long[] sequence = new long[WINDOW];

	private final long[] sentAt = new long[WINDOW];

	private Consumer<byte[]> sender;

	private long nextSequence;

	DatagramWindow(Tally tally, int session) {
		this.tally = tally;
		this.session = session;
		Arrays.fill(this.sequence, -1);
	}

	/** Fills the window. */
	synchronized void start(Consumer<byte[]> sender) {
		this.sender = sender;
		for (int slot = 0; slot < WINDOW; slot++) {
			send(slot);
		}
	}

	/** A datagram from the server. */
	void received(byte[] datagram) {
		if (datagram.length != SIZE || readInt(datagram, 0) != this.session
				|| !Arrays.equals(datagram, HEADER, SIZE, PATTERN, HEADER, SIZE)) {
			this.tally.mismatch("session " + this.session + ": a datagram of " + datagram.length
					+ " bytes that is not one that was sent");
			return;
		}
		int slot = readInt(datagram, 4);
		long number = readLong(datagram, 8);
		if (slot < 0 || slot >= WINDOW) {
			this.tally.mismatch("session " + this.session + ": a datagram for slot " + slot);
			return;
		}
		long now = System.nanoTime();
		synchronized (this) {
			if (this.sequence[slot] != number) {
				return; // an echo that arrived after its datagram was counted lost
			}
			this.tally.completedWithLatency(now - this.sentAt[slot]);
			refill(slot);
		}
	}

	/**
	 * Counts as lost, and replaces, every datagram in flight for longer than the loss
	 * timeout.
	 */
	synchronized void expire(long now) {
		for (int slot = 0; slot < WINDOW; slot++) {
			if (this.sequence[slot] >= 0 && now - this.sentAt[slot] > LOSS_TIMEOUT_NANOS) {
				this.tally.lost(1);
				refill(slot);
			}
		}
	}

	/**
	 * Sending could not even start: an error, and the slot waits for the loss timeout.
	 */
	void sendFailed(Throwable error) {
		this.tally.error("session " + this.session + ": datagram not sent: " + error);
	}

	/**
	 * Whether no datagram is in flight (after the run stopped, every one came back or was
	 * counted lost).
	 */
	synchronized boolean isEmpty() {
		for (long number : this.sequence) {
			if (number >= 0) {
				return false;
			}
		}
		return true;
	}

	private void refill(int slot) {
		if (this.tally.stopping) {
			this.sequence[slot] = -1;
		}
		else {
			send(slot);
		}
	}

	private void send(int slot) {
		long number = this.nextSequence++;
		byte[] datagram = PATTERN.clone();
		writeInt(datagram, 0, this.session);
		writeInt(datagram, 4, slot);
		for (int i = 0; i < 8; i++) {
			datagram[8 + i] = (byte) (number >>> (56 - 8 * i));
		}
		this.sequence[slot] = number;
		this.sentAt[slot] = System.nanoTime();
		this.sender.accept(datagram);
	}

	private static void writeInt(byte[] target, int offset, int value) {
		for (int i = 0; i < 4; i++) {
			target[offset + i] = (byte) (value >>> (24 - 8 * i));
		}
	}

	private static int readInt(byte[] source, int offset) {
		int value = 0;
		for (int i = 0; i < 4; i++) {
			value = (value << 8) | (source[offset + i] & 0xff);
		}
		return value;
	}

	private static long readLong(byte[] source, int offset) {
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value = (value << 8) | (source[offset + i] & 0xff);
		}
		return value;
	}

	private static byte[] pattern() {
		byte[] pattern = new byte[SIZE];
		for (int i = 0; i < SIZE; i++) {
			pattern[i] = (byte) ('a' + (i % 26));
		}
		return pattern;
	}

}
