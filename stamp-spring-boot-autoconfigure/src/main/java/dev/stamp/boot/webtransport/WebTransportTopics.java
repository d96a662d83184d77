package dev.stamp.boot.webtransport;

import java.util.concurrent.atomic.AtomicLong;

import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.topic.TopicMember;
import dev.stamp.boot.topic.TopicOffsets;
import dev.stamp.webtransport.WebTransportSession;

/**
 * WebTransport sessions as members of {@link StampTopics}: a session that joins a topic
 * gets a unidirectional stream, opened by the server, that carries the topic's messages
 * reliably and in order, from every node of the cluster.
 * <p>
 * The stream is a sequence of frames: one type byte, a 4-byte big-endian payload length,
 * the payload. The first frame ({@link #FRAME_TOPIC}) names the topic in UTF-8; each
 * message follows as {@link #FRAME_TEXT} (UTF-8) or {@link #FRAME_BINARY}, or, when the
 * topic keeps history, as {@link #FRAME_TEXT_WITH_OFFSET} or
 * {@link #FRAME_BINARY_WITH_OFFSET}, whose payload starts with the message's offset: one
 * byte of length, then the offset in ASCII. A session that
 * {@link #join(String, WebTransportSession, String) joins after an offset} gets a
 * {@link #FRAME_RECOVERY} right after the topic frame: one byte, {@code 1} when the
 * history reached back to the offset, and the number of replayed messages as 4 bytes
 * big-endian; the replayed messages and the live ones follow. Leaving ends the stream
 * (FIN) after what was already delivered. A session that lets more than
 * {@code stamp.topics.subscriber-buffer-size} messages wait for QUIC is cut off: its
 * stream is reset with {@link #OVERFLOW_RESET_CODE} and it leaves the topic. It leaves
 * every topic when it closes.
 * <p>
 * A separate bean from {@link StampTopics} so that topics work without the WebTransport
 * engine on the class path.
 */
public class WebTransportTopics {

	/** Type of a topic stream's first frame, the topic's name. */
	public static final byte FRAME_TOPIC = 0;

	/** Type of the frame of a message published as text. */
	public static final byte FRAME_TEXT = 1;

	/** Type of the frame of a message published as bytes. */
	public static final byte FRAME_BINARY = 2;

	/**
	 * Type of the frame of a message published as text, with its offset before the UTF-8.
	 */
	public static final byte FRAME_TEXT_WITH_OFFSET = 3;

	/** Type of the frame of a message published as bytes, with its offset before them. */
	public static final byte FRAME_BINARY_WITH_OFFSET = 4;

	/**
	 * Type of the frame that follows the topic's for a session that joined after an
	 * offset: whether the history reached back, and how many messages it replays.
	 */
	public static final byte FRAME_RECOVERY = 5;

	/** The application error code a topic stream is reset with when cut off. */
	public static final long OVERFLOW_RESET_CODE = 1013;

	/**
	 * The attribute of a {@link WebTransportSession} that holds its member id, as
	 * presence lists it, once it joined a topic.
	 */
	public static final String MEMBER_ID_ATTRIBUTE = WebTransportTopics.class.getName() + ".memberId";

	private static final AtomicLong memberIds = new AtomicLong();

	private final StampTopics topics;

	/**
	 * Creates WebTransport membership of the given topics.
	 * @param topics the node's topics
	 */
	public WebTransportTopics(StampTopics topics) {
		this.topics = topics;
	}

	/**
	 * Joins a session to a topic: the server opens the topic's stream on it. Joining
	 * again changes nothing.
	 * @param topic the topic to join
	 * @param session the session
	 */
	public void join(String topic, WebTransportSession session) {
		WebTransportTopicMember member = new WebTransportTopicMember(session, topic, memberId(session),
				this.topics.subscriberBufferSize());
		if (this.topics.join(topic, member)) {
			member.open();
		}
	}

	/**
	 * Removes a session from a topic and ends the topic's stream after the messages
	 * already sent on it.
	 * @param topic the topic to leave
	 * @param session the session
	 */
	public void leave(String topic, WebTransportSession session) {
		TopicMember member = this.topics.member(topic, memberId(session));
		if (member instanceof WebTransportTopicMember joined && this.topics.leave(topic, joined)) {
			joined.end();
		}
	}

	/**
	 * Joins a session to a topic after the offset of the last message it got: the topic's
	 * stream starts with a {@link #FRAME_RECOVERY} frame, then carries the messages
	 * missed since the offset, from the history, then the live ones, without a gap or a
	 * duplicate. Without history, or when Redis does not answer, the recovery frame says
	 * incomplete and only live messages follow. Joining again changes nothing.
	 * @param topic the topic to join
	 * @param session the session
	 * @param afterOffset the offset of the last message the session got
	 * @throws IllegalArgumentException if the offset is not a topic offset
	 */
	public void join(String topic, WebTransportSession session, String afterOffset) {
		if (!TopicOffsets.isValid(afterOffset)) {
			throw new IllegalArgumentException("Not a topic offset: '" + afterOffset + "'");
		}
		WebTransportTopicMember member = new WebTransportTopicMember(session, topic, memberId(session),
				this.topics.subscriberBufferSize());
		if (this.topics.join(topic, member, member.resume(afterOffset))) {
			member.open();
		}
	}

	private static String memberId(WebTransportSession session) {
		return (String) session.attributes()
			.computeIfAbsent(MEMBER_ID_ATTRIBUTE, (key) -> "wt-" + Long.toString(memberIds.incrementAndGet(), 36));
	}

}
