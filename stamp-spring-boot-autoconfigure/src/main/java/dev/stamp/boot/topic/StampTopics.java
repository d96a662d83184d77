package dev.stamp.boot.topic;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.stamp.boot.websocket.WebSocketConnection;

/**
 * Named topics that code publishes text or bytes to and that subscribers receive.
 * <p>
 * On one node everything stays in memory. With {@code stamp.cluster.enabled} a
 * {@link TopicRelay} carries each message to every other node too, and each node delivers
 * it to its own subscribers once, in the order of its publisher. Publishing never waits
 * for a subscriber or for the other nodes: a subscriber that falls behind by more than
 * {@code stamp.topics.subscriber-buffer-size} messages is cut off, and the relay counts
 * what it could not send as {@link #droppedPublishes() dropped}.
 * <p>
 * With {@code stamp.cluster.history.size} and {@code ttl} the relay also keeps each
 * topic's latest messages in Redis: every message carries its
 * {@link TopicMessage#offset() offset}, and a subscriber that comes back with the offset
 * of the last message it got {@link #recover(String, String) recovers} what it missed, or
 * learns that the history no longer reaches back that far. Without a cluster, or without
 * history, topics keep nothing and the history methods fail with an
 * {@link IllegalStateException}.
 * <p>
 * WebSocket clients and WebTransport sessions {@link #join(String, WebSocketConnection)
 * join} topics as members: each message is written to them directly, and a client that
 * cannot keep up is cut off by its own connection's rule. Every WebSocket client is a
 * member of its room, the topic {@link WebSocketConnection#roomTopic(String)} of its
 * request path, so a route's {@code broadcast} reaches the room on every node.
 * {@link #presence(String)} lists a topic's members, across the cluster with one.
 */
public class StampTopics {

	/** The node id of messages published without a cluster. */
	public static final String LOCAL_NODE_ID = "local";

	private final LocalTopicSubscribers subscribers;

	private final @Nullable TopicRelay relay;

	private final @Nullable TopicPresence presence;

	private final String nodeId;

	private final int subscriberBufferSize;

	private final AtomicLong published = new AtomicLong();

	/**
	 * Creates the topics of a node.
	 * @param subscriberBufferSize messages a subscriber may fall behind by
	 * @param relay the relay to the other nodes, or {@code null} for a single node
	 */
	public StampTopics(int subscriberBufferSize, @Nullable TopicRelay relay) {
		this(subscriberBufferSize, relay, null);
	}

	/**
	 * Creates the topics of a node.
	 * @param subscriberBufferSize messages a subscriber (or a WebTransport session's
	 * topic) may fall behind by
	 * @param relay the relay to the other nodes, or {@code null} for a single node
	 * @param presence where members are recorded across the cluster, or {@code null} to
	 * answer presence from this node's members
	 */
	public StampTopics(int subscriberBufferSize, @Nullable TopicRelay relay, @Nullable TopicPresence presence) {
		this.nodeId = (relay != null) ? relay.nodeId() : LOCAL_NODE_ID;
		this.subscriberBufferSize = subscriberBufferSize;
		this.presence = presence;
		this.subscribers = new LocalTopicSubscribers(subscriberBufferSize, this::left);
		this.relay = relay;
		if (relay != null) {
			relay.onRemoteMessage(this.subscribers::deliver);
		}
	}

	/**
	 * Publishes text to every subscriber of the topic on every node.
	 * @param topic the topic to publish on
	 * @param text the message text, sent as UTF-8
	 */
	public void publish(String topic, String text) {
		publish(topic, text.getBytes(StandardCharsets.UTF_8), false);
	}

	/**
	 * Publishes bytes to every subscriber of the topic on every node.
	 * @param topic the topic to publish on
	 * @param bytes the message bytes, copied before sending
	 */
	public void publish(String topic, byte[] bytes) {
		publish(topic, bytes.clone(), true);
	}

	private void publish(String topic, byte[] payload, boolean binary) {
		this.published.incrementAndGet();
		TopicMessage message = new TopicMessage(topic, payload, binary, this.nodeId);
		if (this.relay != null) {
			this.relay.publish(message, this.subscribers::deliver);
		}
		else {
			this.subscribers.deliver(message);
		}
	}

	/**
	 * The messages published on the topic from now on, on this node and on the others. A
	 * subscriber that falls behind by more than
	 * {@code stamp.topics.subscriber-buffer-size} messages is cut off: the flux ends with
	 * a {@link TopicOverflowException}.
	 * @param topic the topic to subscribe to
	 * @return the topic's messages
	 */
	public Flux<TopicMessage> subscribe(String topic) {
		return this.subscribers.subscribe(topic);
	}

	/**
	 * Whether topics keep a history, so that messages carry offsets and subscribers can
	 * recover what they missed.
	 * @return {@code true} with a cluster and {@code stamp.cluster.history.size} and
	 * {@code ttl} set
	 */
	public boolean keepsHistory() {
		return this.relay != null && this.relay.keepsHistory();
	}

	/**
	 * The messages of a topic's history after an offset.
	 * @param topic the topic
	 * @param afterOffset the offset of the last message the caller has
	 * @return the messages after it, and whether they are all that was published since;
	 * an {@link IllegalStateException} when topics keep no history
	 */
	public Mono<TopicHistory> history(String topic, String afterOffset) {
		return historyRelay().flatMap((relay) -> relay.history(topic, checkedOffset(afterOffset)));
	}

	/**
	 * The offset of a topic's latest message, for a client that joins fresh and wants to
	 * resume from there later.
	 * @param topic the topic
	 * @return the offset, or empty when the topic has no history; an
	 * {@link IllegalStateException} when topics keep no history
	 */
	public Mono<String> latestOffset(String topic) {
		return historyRelay().flatMap((relay) -> relay.latestOffset(topic));
	}

	/**
	 * Resumes a subscription after an offset: the messages missed since then, from the
	 * history, then the live ones, without a gap or a duplicate. The recovery says
	 * whether the history still reached back to the offset, so that a route can tell its
	 * client to resynchronise when it did not.
	 * @param topic the topic
	 * @param afterOffset the offset of the last message the subscriber got
	 * @return the recovery, once the history is read; an {@link IllegalStateException}
	 * when topics keep no history
	 */
	public Mono<TopicRecovery> recover(String topic, String afterOffset) {
		return historyRelay().flatMap((relay) -> {
			String offset = checkedOffset(afterOffset);
			// Subscribe live before reading the history: a message published meanwhile is
			// in both, and is dropped from the live ones by its offset, so none is
			// missed.
			Flux<TopicMessage> live = this.subscribers.subscribeNow(topic);
			AtomicBoolean handedOut = new AtomicBoolean();
			return relay.history(topic, offset).map((history) -> {
				String last = history.messages().isEmpty() ? offset
						: history.messages().get(history.messages().size() - 1).offset();
				Flux<TopicMessage> newer = live
					.filter((message) -> message.offset() == null || TopicOffsets.compare(message.offset(), last) > 0);
				handedOut.set(true);
				return new TopicRecovery(history.complete(), history.messages().size(),
						Flux.fromIterable(history.messages()).concatWith(newer));
			}).doFinally((signal) -> {
				if (!handedOut.get()) {
					// Subscribing and cancelling lets go of the live subscriber.
					live.subscribe().dispose();
				}
			});
		});
	}

	/**
	 * The messages of a topic after an offset: those missed since then, from the history,
	 * then the live ones. Whether the history still reached back to the offset is not
	 * told: use {@link #recover(String, String)} to know.
	 * @param topic the topic
	 * @param afterOffset the offset of the last message the subscriber got
	 * @return the missed messages, then the live ones; an {@link IllegalStateException}
	 * when topics keep no history
	 */
	public Flux<TopicMessage> subscribe(String topic, String afterOffset) {
		return recover(topic, afterOffset).flatMapMany(TopicRecovery::messages);
	}

	private Mono<TopicRelay> historyRelay() {
		TopicRelay relay = this.relay;
		if (relay == null || !relay.keepsHistory()) {
			return Mono.error(new IllegalStateException("Topics keep no history: "
					+ ((relay != null) ? "set stamp.cluster.history.size and stamp.cluster.history.ttl"
							: "this node is not in a cluster (stamp.cluster.enabled)")));
		}
		return Mono.just(relay);
	}

	private static String checkedOffset(String offset) {
		if (!TopicOffsets.isValid(offset)) {
			throw new IllegalArgumentException("Not a topic offset: '" + offset + "'");
		}
		return offset;
	}

	/**
	 * Joins a WebSocket client to a topic: it receives the topic's messages, text as text
	 * frames and bytes as binary frames (or JSON envelopes with their offset for a client
	 * of the subprotocol {@code stamp.topics.v1}), until it leaves or disconnects. A
	 * client that lets more than {@code stamp.websocket.max-pending-outbound} pile up is
	 * disconnected with 1013, as for its other messages. Joining again changes nothing.
	 * @param topic the topic to join
	 * @param client the client, a connection of Stamp's WebSocket listener
	 */
	public void join(String topic, WebSocketConnection client) {
		join(topic, member(client));
	}

	/**
	 * Removes a WebSocket client from a topic.
	 * @param topic the topic to leave
	 * @param client the client
	 */
	public void leave(String topic, WebSocketConnection client) {
		leave(topic, member(client));
	}

	/**
	 * Joins a member to a topic; how messages reach it is the member's business. This is
	 * how protocols other than WebSocket join (for WebTransport sessions, see
	 * {@code WebTransportTopics}).
	 * @param topic the topic to join
	 * @param member the member
	 * @return {@code false} if a member of that id had joined already
	 */
	public boolean join(String topic, TopicMember member) {
		boolean joined = this.subscribers.join(topic, member);
		if (joined && this.presence != null) {
			this.presence.join(topic, member.id());
		}
		return joined;
	}

	/**
	 * Joins a member that comes back after an offset: once the history after the offset
	 * is read, the member is told the outcome and gets the missed messages, then the live
	 * ones, through its {@link TopicCatchUp}, to which it hands its deliveries from now
	 * on. Without history, or when Redis does not answer, the outcome is incomplete and
	 * the member gets the live messages only.
	 * @param topic the topic to join
	 * @param member the member
	 * @param catchUp the member's catch-up
	 * @return {@code false} if a member of that id had joined already
	 * @throws IllegalArgumentException if the catch-up's offset is not an offset
	 */
	public boolean join(String topic, TopicMember member, TopicCatchUp catchUp) {
		String offset = checkedOffset(catchUp.afterOffset());
		if (!join(topic, member)) {
			return false;
		}
		TopicRelay relay = this.relay;
		if (relay == null || !relay.keepsHistory()) {
			catchUp.replay(null);
		}
		else {
			relay.history(topic, offset)
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.subscribe((history) -> catchUp.replay(history.orElse(null)), (error) -> catchUp.replay(null));
		}
		return true;
	}

	/**
	 * Who is joined to a topic: with a cluster, the members on every live node (a node
	 * that dies takes its members with it once {@code stamp.cluster.node-timeout} ends);
	 * without, this node's members.
	 * @param topic the topic
	 * @return the members, sorted by node and id
	 */
	public Mono<List<JoinedMember>> presence(String topic) {
		if (this.presence != null) {
			return this.presence.members(topic);
		}
		return Mono.fromSupplier(() -> this.subscribers.members(topic)
			.stream()
			.map((member) -> new JoinedMember(member.id(), this.nodeId))
			.sorted(Comparator.comparing(JoinedMember::id))
			.toList());
	}

	private void left(String topic, TopicMember member) {
		if (this.presence != null) {
			this.presence.leave(topic, member.id());
		}
	}

	private static TopicMember member(WebSocketConnection client) {
		if (client instanceof TopicMember member) {
			return member;
		}
		throw new IllegalArgumentException("Only connections of Stamp's WebSocket listener join topics, not " + client);
	}

	/**
	 * Removes a member from a topic.
	 * @param topic the topic to leave
	 * @param member the member
	 * @return {@code false} if it was not a member
	 */
	public boolean leave(String topic, TopicMember member) {
		return this.subscribers.leave(topic, member);
	}

	/**
	 * A member of a topic on this node.
	 * @param topic the topic
	 * @param memberId the member's id
	 * @return the member, or {@code null} if no member of that id joined the topic here
	 */
	public @Nullable TopicMember member(String topic, String memberId) {
		return this.subscribers.member(topic, memberId);
	}

	/**
	 * Messages a subscriber, or a member that buffers, may fall behind by
	 * ({@code stamp.topics.subscriber-buffer-size}).
	 * @return the buffer size
	 */
	public int subscriberBufferSize() {
		return this.subscriberBufferSize;
	}

	/**
	 * Subscribers of the topic on this node.
	 * @param topic the topic name
	 * @return the number of local subscribers
	 */
	public int localSubscribers(String topic) {
		return this.subscribers.count(topic);
	}

	/**
	 * This node's id, as carried by the messages it publishes.
	 * @return the node id
	 */
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * Whether messages travel to other nodes.
	 * @return {@code true} with a cluster relay
	 */
	public boolean isClustered() {
		return this.relay != null;
	}

	/**
	 * Messages published on this node.
	 * @return the number of messages published
	 */
	public long publishedMessages() {
		return this.published.get();
	}

	/**
	 * Messages from other nodes received through the relay.
	 * @return the number of messages received, 0 on a single node
	 */
	public long receivedMessages() {
		return (this.relay != null) ? this.relay.receivedMessages() : 0;
	}

	/**
	 * Publishes that did not reach the other nodes (queue full, Redis unreachable or
	 * refusing): this node's subscribers got them, the other nodes did not.
	 * @return the number of dropped publishes, 0 on a single node
	 */
	public long droppedPublishes() {
		return (this.relay != null) ? this.relay.droppedPublishes() : 0;
	}

	/**
	 * Whether this node currently receives the other nodes' publishes.
	 * @return {@code true} while subscribed to the other nodes, {@code false} on a single
	 * node
	 */
	public boolean isReceivingRemote() {
		return this.relay != null && this.relay.isReceivingRemote();
	}

}
