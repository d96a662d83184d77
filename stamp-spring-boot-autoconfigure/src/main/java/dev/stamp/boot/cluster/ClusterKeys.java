package dev.stamp.boot.cluster;

/**
 * Names of Stamp's keys and channels in Redis, all under one prefix so that several
 * applications can share a Redis and one can be cleaned up with {@code SCAN prefix*}.
 */
final class ClusterKeys {

	private static final String TOPIC = "topic:";

	private final String prefix;

	ClusterKeys(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * The pub/sub channel of a topic.
	 * @param topic the topic name
	 * @return the prefixed channel name
	 */
	String topicChannel(String topic) {
		return this.prefix + TOPIC + topic;
	}

	/**
	 * A glob pattern that matches every topic channel and nothing else.
	 * @return the pattern, with the prefix's glob characters escaped
	 */
	String topicChannelPattern() {
		return globEscape(this.prefix + TOPIC) + "*";
	}

	/**
	 * The topic of a channel that {@link #topicChannelPattern()} matched.
	 * @param channel the matched channel name
	 * @return the topic name, without the prefix
	 */
	String topicOf(String channel) {
		return channel.substring(this.prefix.length() + TOPIC.length());
	}

	/**
	 * The hash of a live node: its start time and listeners; expires with the node.
	 * @param nodeId the node's id
	 * @return the key of the node's hash
	 */
	String node(String nodeId) {
		return this.prefix + "node:" + nodeId;
	}

	/**
	 * The set of node ids that may be live; entries whose node key expired are stale.
	 * @return the key of the set of node ids
	 */
	String nodes() {
		return this.prefix + "nodes";
	}

	/**
	 * The hash of a topic's members across nodes, one field per node and member.
	 * @param topic the topic name
	 * @return the key of the topic's presence hash
	 */
	String presence(String topic) {
		return this.prefix + "presence:" + topic;
	}

	/**
	 * The counter of a client's requests in its current rate-limit window; expires with
	 * the window.
	 * @param protocol the protocol's id
	 * @param address the client's address
	 * @return the key of the counter
	 */
	String rateLimit(String protocol, String address) {
		return this.prefix + "ratelimit:" + protocol + ":" + address;
	}

	/**
	 * A glob pattern that matches every rate-limit counter and nothing else.
	 * @return the pattern, with the prefix's glob characters escaped
	 */
	String rateLimitPattern() {
		return globEscape(this.prefix + "ratelimit:") + "*";
	}

	/**
	 * The Redis stream of a topic's history; its entry ids are the messages' offsets.
	 * @param topic the topic name
	 * @return the key of the topic's history stream
	 */
	String history(String topic) {
		return this.prefix + "history:" + topic;
	}

	/**
	 * Escapes the characters that a Redis glob pattern ({@code SCAN ... MATCH}, pattern
	 * subscriptions) would read as wildcards.
	 * @param literal the text to match as it is
	 * @return the text with {@code * ? [ ] \} escaped
	 */
	static String globEscape(String literal) {
		StringBuilder escaped = new StringBuilder(literal.length());
		for (int i = 0; i < literal.length(); i++) {
			char c = literal.charAt(i);
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

}
