package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.stamp.boot.topic.JoinedMember;
import dev.stamp.boot.topic.TopicPresence;

/**
 * Who is joined to a topic, across the nodes of the cluster.
 * <p>
 * Each topic is a Redis hash with one field per node and member. This node keeps its own
 * members in memory; every heartbeat extends the lifetime of its topics' hashes and
 * writes the members again where a hash is gone (Redis restarted, or it expired), after a
 * write failed, and every {@value #FULL_REWRITE_EVERY} heartbeats in any case, so that a
 * room of many members costs one command per heartbeat, not one field per member; a node
 * that stops removes its members at once, and the members of a node that dies stop
 * counting when its node entry expires ({@code stamp.cluster.node-timeout}).
 * {@link #join} and {@link #leave} take effect locally at once and reach Redis in the
 * background. {@link dev.stamp.boot.topic.StampTopics} records its WebSocket and
 * WebTransport members here.
 */
public class StampPresence implements TopicPresence {

	private static final Log logger = LogFactory.getLog(StampPresence.class);

	/** Heartbeats between two writes of every member, whatever Redis says. */
	static final int FULL_REWRITE_EVERY = 15;

	/** Members per HSET, so that a large room never makes one huge command. */
	private static final int WRITE_BATCH = 1000;

	private final ReactiveStringRedisTemplate redis;

	private final ClusterKeys keys;

	private final String nodeId;

	private final Duration ttl;

	private final Map<String, Set<String>> localMembers = new ConcurrentHashMap<>();

	/** Set when a write failed: the next heartbeat writes every member again. */
	private final AtomicBoolean rewrite = new AtomicBoolean();

	/** Heartbeats so far; only the heartbeat, one at a time, touches it. */
	private int refreshes;

	StampPresence(ReactiveStringRedisTemplate redis, ClusterKeys keys, String nodeId, Duration ttl) {
		this.redis = redis;
		this.keys = keys;
		this.nodeId = nodeId;
		this.ttl = ttl;
	}

	/**
	 * Joins a member connected to this node to the topic.
	 * @param topic the topic to join
	 * @param memberId the member's id
	 */
	@Override
	public void join(String topic, String memberId) {
		this.localMembers.computeIfAbsent(topic, (key) -> ConcurrentHashMap.newKeySet()).add(memberId);
		background(write(topic, List.of(memberId)), "join");
	}

	/**
	 * Removes a member connected to this node from the topic.
	 * @param topic the topic to leave
	 * @param memberId the member's id
	 */
	@Override
	public void leave(String topic, String memberId) {
		this.localMembers.computeIfPresent(topic, (key, members) -> {
			members.remove(memberId);
			return members.isEmpty() ? null : members;
		});
		background(this.redis.opsForHash().remove(this.keys.presence(topic), field(memberId)).then(), "leave");
	}

	/**
	 * The topic's members on every live node, by node and member id.
	 * @param topic the topic name
	 * @return the members on live nodes, sorted by node and member id
	 */
	public Mono<List<PresenceMember>> presence(String topic) {
		String key = this.keys.presence(topic);
		return this.redis.<String, String>opsForHash()
			.keys(key)
			.mapNotNull(StampPresence::member)
			.collectList()
			.flatMap((members) -> liveNodes(members).flatMap((live) -> {
				List<PresenceMember> present = new ArrayList<>();
				List<Object> stale = new ArrayList<>();
				for (PresenceMember member : members) {
					if (live.contains(member.nodeId())) {
						present.add(member);
					}
					else {
						stale.add(field(member.nodeId(), member.memberId()));
					}
				}
				present.sort(Comparator.comparing(PresenceMember::nodeId).thenComparing(PresenceMember::memberId));
				Mono<Long> cleanUp = stale.isEmpty() ? Mono.empty()
						: this.redis.opsForHash().remove(key, stale.toArray());
				return cleanUp.thenReturn(present);
			}));
	}

	@Override
	public Mono<List<JoinedMember>> members(String topic) {
		return presence(topic).map((members) -> members.stream()
			.map((member) -> new JoinedMember(member.memberId(), member.nodeId()))
			.toList());
	}

	private Mono<Set<String>> liveNodes(List<PresenceMember> members) {
		return Flux.fromStream(members.stream().map(PresenceMember::nodeId).distinct())
			.filterWhen((node) -> this.redis.hasKey(this.keys.node(node)))
			.collect(Collectors.toSet());
	}

	/**
	 * Extends the lifetime of this node's topics and writes their members again where
	 * needed (see the class description).
	 * @return completes when every topic has been refreshed
	 */
	Mono<Void> refresh() {
		boolean everyMember = this.rewrite.getAndSet(false) || (++this.refreshes % FULL_REWRITE_EVERY == 0);
		return Flux.fromIterable(this.localMembers.entrySet())
			.concatMap((entry) -> everyMember ? write(entry.getKey(), List.copyOf(entry.getValue()))
					: extend(entry.getKey(), entry.getValue()))
			.doOnError((ex) -> this.rewrite.set(true))
			.then();
	}

	private Mono<Void> extend(String topic, Set<String> memberIds) {
		// EXPIRE answers false for a key that is gone: write the members back.
		return this.redis.expire(this.keys.presence(topic), this.ttl)
			.flatMap((extended) -> extended ? Mono.<Void>empty() : write(topic, List.copyOf(memberIds)));
	}

	/**
	 * Removes this node's members from Redis, when the node leaves the cluster.
	 * @return completes when the members have been removed
	 */
	Mono<Void> removeAll() {
		return Flux.fromIterable(this.localMembers.entrySet())
			.concatMap((entry) -> this.redis.opsForHash()
				.remove(this.keys.presence(entry.getKey()), entry.getValue().stream().map(this::field).toArray()))
			.then();
	}

	private Mono<Void> write(String topic, List<String> memberIds) {
		if (memberIds.isEmpty()) {
			return Mono.empty();
		}
		String key = this.keys.presence(topic);
		return Flux.range(0, (memberIds.size() + WRITE_BATCH - 1) / WRITE_BATCH).concatMap((batch) -> {
			Map<String, String> fields = new HashMap<>();
			memberIds.subList(batch * WRITE_BATCH, Math.min(memberIds.size(), (batch + 1) * WRITE_BATCH))
				.forEach((memberId) -> fields.put(field(memberId), this.nodeId));
			return this.redis.opsForHash().putAll(key, fields);
		}).then(this.redis.expire(key, this.ttl)).then();
	}

	private void background(Mono<Void> write, String operation) {
		// The next heartbeat writes the members again, so a lost write heals by itself.
		// Bounded: while Redis is away the client would queue every join and leave.
		write.timeout(this.ttl).subscribe(null, (ex) -> {
			this.rewrite.set(true);
			logger.debug("Presence " + operation + " did not reach Redis", ex);
		});
	}

	private String field(String memberId) {
		return field(this.nodeId, memberId);
	}

	/**
	 * A field name that holds any node and member id unambiguously: length:node member.
	 * @param nodeId the node's id
	 * @param memberId the member's id
	 * @return the hash field name
	 */
	private static String field(String nodeId, String memberId) {
		return nodeId.length() + ":" + nodeId + memberId;
	}

	private static PresenceMember member(String field) {
		int colon = field.indexOf(':');
		if (colon < 1) {
			return null;
		}
		try {
			int nodeLength = Integer.parseInt(field, 0, colon, 10);
			int memberStart = colon + 1 + nodeLength;
			if (memberStart > field.length()) {
				return null;
			}
			return new PresenceMember(field.substring(memberStart), field.substring(colon + 1, memberStart));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
