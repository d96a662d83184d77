package dev.stamp.boot.topic;

/**
 * A client joined to topics, that {@link StampTopics} writes each message to directly,
 * without a buffer of its own: Stamp's WebSocket connections are members, and each topic
 * a WebTransport session joins is one. Implemented by Stamp's listeners, not meant for
 * applications.
 * <p>
 * A member cuts itself off when it cannot keep up, by its own connection's rule (for a
 * WebSocket client {@code stamp.websocket.max-pending-outbound}), so that delivery never
 * waits for it.
 */
public interface TopicMember {

	/**
	 * The member's id, unique within the application; presence lists it.
	 * @return the member's id
	 */
	String id();

	/**
	 * Writes a message to the client without waiting for it to be sent. Called for the
	 * messages of one publisher in their order.
	 * @param message the message, whose payload every member of this node shares: do not
	 * change it
	 * @return whether the member still takes messages; {@code false} removes it from the
	 * topic
	 */
	boolean deliver(TopicMessage message);

	/**
	 * Runs an action once the member's connection ends, or at once if it already has.
	 * @param action what to run
	 */
	void whenClosed(Runnable action);

}
