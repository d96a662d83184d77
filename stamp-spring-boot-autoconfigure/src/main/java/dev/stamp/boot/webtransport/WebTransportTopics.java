package dev.stamp.boot.webtransport;

import java.util.concurrent.atomic.AtomicLong;

import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.topic.TopicMember;
import dev.stamp.webtransport.WebTransportSession;

/**
 * WebTransport sessions as members of {@link StampTopics}: a session that joins a topic
 * gets a unidirectional stream, opened by the server, that carries the topic's messages
 * reliably and in order, from every node of the cluster.
 * <p>
 * The stream is a sequence of frames: one type byte, a 4-byte big-endian payload length,
 * the payload. The first frame ({@link #FRAME_TOPIC}) names the topic in UTF-8; each
 * message follows as {@link #FRAME_TEXT} (UTF-8) or {@link #FRAME_BINARY}. Leaving ends
 * the stream (FIN) after what was already delivered. A session that lets more than
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

	private static String memberId(WebTransportSession session) {
		return (String) session.attributes()
			.computeIfAbsent(MEMBER_ID_ATTRIBUTE, (key) -> "wt-" + Long.toString(memberIds.incrementAndGet(), 36));
	}

}
