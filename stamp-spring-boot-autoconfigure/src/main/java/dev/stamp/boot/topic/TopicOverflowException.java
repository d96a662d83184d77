package dev.stamp.boot.topic;

/**
 * Ends a topic subscription whose subscriber fell behind by more than
 * {@code stamp.topics.subscriber-buffer-size} messages: it is cut off rather than let it
 * slow the publishers or the other subscribers.
 */
public class TopicOverflowException extends RuntimeException {

	TopicOverflowException(String topic, int bufferSize) {
		super("Subscriber of topic '" + topic + "' fell behind by more than " + bufferSize + " messages");
	}

}
