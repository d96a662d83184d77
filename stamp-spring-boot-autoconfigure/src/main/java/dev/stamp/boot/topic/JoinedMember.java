package dev.stamp.boot.topic;

/**
 * A member joined to a topic, on the node it is connected to, as
 * {@link StampTopics#presence(String)} lists it.
 *
 * @param id the member's id: a WebSocket client's {@code id()}, or for a WebTransport
 * session the value of its {@code WebTransportTopics.MEMBER_ID_ATTRIBUTE} attribute
 * @param nodeId the node the member joined on
 */
public record JoinedMember(String id, String nodeId) {
}
