package dev.stamp.boot.webtransport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

import dev.stamp.boot.topic.TopicCatchUp;
import dev.stamp.boot.topic.TopicMember;
import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;

/**
 * One topic a WebTransport session joined: the unidirectional stream that carries the
 * topic's messages, in the framing {@link WebTransportTopics} describes.
 */
final class WebTransportTopicMember implements TopicMember {

	private static final byte TOPIC = WebTransportTopics.FRAME_TOPIC;

	private static final byte TEXT = WebTransportTopics.FRAME_TEXT;

	private static final byte BINARY = WebTransportTopics.FRAME_BINARY;

	private static final byte TEXT_WITH_OFFSET = WebTransportTopics.FRAME_TEXT_WITH_OFFSET;

	private static final byte BINARY_WITH_OFFSET = WebTransportTopics.FRAME_BINARY_WITH_OFFSET;

	private static final byte RECOVERY = WebTransportTopics.FRAME_RECOVERY;

	private static final long OVERFLOW_RESET_CODE = WebTransportTopics.OVERFLOW_RESET_CODE;

	private static final int HEADER_LENGTH = 5;

	private final WebTransportSession session;

	private final String topic;

	private final String id;

	private final int maxPending;

	/**
	 * Frames not yet handed to the stream: delivered while it was opening or while the
	 * previous write was on its way. Guarded by {@code this}, like the fields below.
	 */
	private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();

	private @Nullable WebTransportStream stream;

	/** Messages a resumed session may have pending beyond maxPending: its replay. */
	private int replayAllowance;

	/** Messages delivered and not yet handed to QUIC, waiting ones included. */
	private int pending;

	/** Messages of the write on its way, 0 when none is. */
	private int writing;

	private boolean ended;

	/** Set while the session resumes after an offset: messages go through it. */
	private volatile @Nullable TopicCatchUp catchUp;

	private boolean overflowed;

	WebTransportTopicMember(WebTransportSession session, String topic, String id, int maxPending) {
		this.session = session;
		this.topic = topic;
		this.id = id;
		this.maxPending = maxPending;
		this.waiting.add(frame(TOPIC, topic.getBytes(StandardCharsets.UTF_8)));
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
		writeWaiting();
	}

	@Override
	public String id() {
		return this.id;
	}

	/**
	 * Resumes the topic after an offset: messages wait for the history, which follows a
	 * recovery frame.
	 * @param afterOffset the offset of the last message the session got
	 * @return the catch-up to join the topic with
	 */
	TopicCatchUp resume(String afterOffset) {
		TopicCatchUp resumed = new TopicCatchUp(afterOffset, this.maxPending, this::write, this::recovered);
		this.catchUp = resumed;
		return resumed;
	}

	private synchronized void recovered(TopicCatchUp.Outcome outcome) {
		if (this.ended) {
			return;
		}
		int replayed = outcome.replayed();
		// The history and the messages held while it was read go out at once: they are
		// bounded by the history's size and maxPending, and must not count as falling
		// behind, or a session that missed more than maxPending could never resume.
		this.replayAllowance = replayed + this.maxPending;
		this.waiting.add(frame(RECOVERY, new byte[] { (byte) (outcome.complete() ? 1 : 0), (byte) (replayed >>> 24),
				(byte) (replayed >>> 16), (byte) (replayed >>> 8), (byte) replayed }));
		writeWaiting();
	}

	@Override
	public boolean deliver(TopicMessage message) {
		TopicCatchUp resumed = this.catchUp;
		if (resumed != null) {
			if (!resumed.offer(message)) {
				cutOff();
				return false;
			}
			return isTakingMessages();
		}
		return write(message);
	}

	private synchronized boolean isTakingMessages() {
		return !this.ended;
	}

	private synchronized boolean write(TopicMessage message) {
		if (this.ended) {
			return false;
		}
		if (this.pending >= this.maxPending + this.replayAllowance) {
			cutOff();
			return false;
		}
		this.pending++;
		this.waiting.add(messageFrame(message));
		writeWaiting();
		return true;
	}

	private synchronized void cutOff() {
		this.ended = true;
		this.overflowed = true;
		this.waiting.clear();
		if (this.stream != null) {
			this.stream.reset(OVERFLOW_RESET_CODE);
		}
	}

	private static byte[] messageFrame(TopicMessage message) {
		String offset = message.offset();
		if (offset == null) {
			return frame(message.binary() ? BINARY : TEXT, message.payload());
		}
		byte[] ascii = offset.getBytes(StandardCharsets.US_ASCII);
		byte[] payload = new byte[1 + ascii.length + message.payload().length];
		payload[0] = (byte) ascii.length;
		System.arraycopy(ascii, 0, payload, 1, ascii.length);
		System.arraycopy(message.payload(), 0, payload, 1 + ascii.length, message.payload().length);
		return frame(message.binary() ? BINARY_WITH_OFFSET : TEXT_WITH_OFFSET, payload);
	}

	/**
	 * Ends the stream after the messages already delivered: the session left the topic.
	 */
	synchronized void end() {
		if (this.ended) {
			return;
		}
		this.ended = true;
		writeWaiting();
	}

	/**
	 * Hands every waiting frame to the stream in one write, unless a write is still on
	 * its way: then they follow together when it is done. One write at a time keeps
	 * frames whole and in delivery order from any thread, and a burst of small messages
	 * travels in a few QUIC packets rather than one each. Ends the stream once nothing
	 * waits after {@link #end()}.
	 */
	private void writeWaiting() {
		WebTransportStream target = this.stream;
		if (target == null || this.writing > 0 || this.overflowed) {
			return;
		}
		if (this.waiting.isEmpty()) {
			if (this.ended) {
				target.finish().subscribe(null, (error) -> {
				});
			}
			return;
		}
		int messages = (int) this.waiting.stream().filter((frame) -> frame[0] != TOPIC && frame[0] != RECOVERY).count();
		byte[] chunk = concatenate(this.waiting);
		this.waiting.clear();
		this.writing = Math.max(messages, 1);
		target.write(chunk).subscribe(null, (error) -> failed(), () -> written(messages));
	}

	private synchronized void written(int messages) {
		this.pending -= messages;
		this.writing = 0;
		writeWaiting();
	}

	private synchronized void failed() {
		this.writing = 0;
		this.ended = true;
		this.waiting.clear();
	}

	@Override
	public void whenClosed(Runnable action) {
		this.session.closeSignal().doFinally((signal) -> action.run()).subscribe();
	}

	private static byte[] concatenate(ArrayDeque<byte[]> frames) {
		int length = 0;
		for (byte[] frame : frames) {
			length += frame.length;
		}
		byte[] chunk = new byte[length];
		int position = 0;
		for (byte[] frame : frames) {
			System.arraycopy(frame, 0, chunk, position, frame.length);
			position += frame.length;
		}
		return chunk;
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
