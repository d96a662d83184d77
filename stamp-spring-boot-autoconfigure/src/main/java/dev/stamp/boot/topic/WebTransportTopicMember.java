package dev.stamp.boot.topic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;

/**
 * One topic a WebTransport session joined: a unidirectional stream that the server opens
 * and that carries the topic's messages, reliably and in order, as frames of one type
 * byte, a 4-byte big-endian payload length and the payload. The first frame
 * ({@link #TOPIC}) names the topic in UTF-8; each message follows as {@link #TEXT}
 * (UTF-8) or {@link #BINARY}. Leaving ends the stream; a session that lets more than
 * {@code stamp.topics.subscriber-buffer-size} messages wait for QUIC is cut off: the
 * stream is reset with {@link #OVERFLOW_RESET_CODE}.
 */
final class WebTransportTopicMember implements TopicMember {

	/** Frame type of the stream's first frame, the topic's name. */
	static final byte TOPIC = 0;

	/** Frame type of a message published as text. */
	static final byte TEXT = 1;

	/** Frame type of a message published as bytes. */
	static final byte BINARY = 2;

	/** The WebTransport application error code a stream is reset with when cut off. */
	static final long OVERFLOW_RESET_CODE = 1013;

	private static final int HEADER_LENGTH = 5;

	private final WebTransportSession session;

	private final String topic;

	private final String id;

	private final int maxPending;

	/** Frames delivered before the stream was open; guarded by {@code this}. */
	private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();

	private @Nullable WebTransportStream stream;

	/** Messages delivered and not yet handed to QUIC, waiting ones included. */
	private int pending;

	private boolean ended;

	private boolean overflowed;

	WebTransportTopicMember(WebTransportSession session, String topic, String id, int maxPending) {
		this.session = session;
		this.topic = topic;
		this.id = id;
		this.maxPending = maxPending;
	}

	/** Opens the member's stream; messages delivered meanwhile wait for it. */
	void open() {
		this.session.openUniStream().subscribe(this::opened, (error) -> end());
	}

	private synchronized void opened(WebTransportStream opened) {
		if (this.overflowed) {
			opened.reset(OVERFLOW_RESET_CODE);
			return;
		}
		this.stream = opened;
		write(opened, frame(TOPIC, this.topic.getBytes(StandardCharsets.UTF_8)), false);
		while (!this.waiting.isEmpty()) {
			write(opened, this.waiting.poll(), true);
		}
		if (this.ended) {
			finish(opened);
		}
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public synchronized boolean deliver(TopicMessage message) {
		if (this.ended) {
			return false;
		}
		if (this.pending >= this.maxPending) {
			this.ended = true;
			this.overflowed = true;
			this.waiting.clear();
			if (this.stream != null) {
				this.stream.reset(OVERFLOW_RESET_CODE);
			}
			return false;
		}
		this.pending++;
		byte[] frame = frame(message.binary() ? BINARY : TEXT, message.payload());
		if (this.stream != null) {
			write(this.stream, frame, true);
		}
		else {
			this.waiting.add(frame);
		}
		return true;
	}

	/**
	 * Ends the stream after the messages already delivered: the session left the topic.
	 */
	synchronized void end() {
		if (this.ended) {
			return;
		}
		this.ended = true;
		if (this.stream != null) {
			finish(this.stream);
		}
	}

	@Override
	public void whenClosed(Runnable action) {
		this.session.closeSignal().doFinally((signal) -> action.run()).subscribe();
	}

	/**
	 * Hands a frame to the stream; from the caller's thread, under this member's lock, so
	 * that frames go out whole and in delivery order.
	 * @param target the member's stream
	 * @param frame the frame to write
	 * @param counted whether the frame is a message that counts as pending until written
	 */
	private void write(WebTransportStream target, byte[] frame, boolean counted) {
		target.write(frame).subscribe(null, (error) -> end(), () -> {
			if (counted) {
				written();
			}
		});
	}

	private synchronized void written() {
		this.pending--;
	}

	private static void finish(WebTransportStream target) {
		target.finish().subscribe(null, (error) -> {
		});
	}

	private static byte[] frame(byte type, byte[] payload) {
		byte[] frame = new byte[HEADER_LENGTH + payload.length];
		frame[0] = type;
		int length = payload.length;
		frame[1] = (byte) (length >>> 24);
		frame[2] = (byte) (length >>> 16);
		frame[3] = (byte) (length >>> 8);
		frame[4] = (byte) length;
		System.arraycopy(payload, 0, frame, HEADER_LENGTH, length);
		return frame;
	}

}
