package dev.stamp.boot.cluster;

/**
 * A member joined to a topic, on the node it is connected to.
 *
 * @param memberId the member's id, opaque to Stamp
 * @param nodeId the node the member joined on
 */
public record PresenceMember(String memberId, String nodeId) {
}
