package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;

import dev.stamp.boot.topic.JoinedMember;
import dev.stamp.boot.topic.TopicPresence;

/**
 * Who is joined to a topic, across the nodes of the cluster.
 * <p>
 * Each topic is a Redis hash with one field per node and member. This node keeps its own
 * members in memory, and Redis converges to them: {@link #join} and {@link #leave} take
 * effect locally at once and reach Redis in the background; a join or leave whose write
 * fails, or that raced with another write of the same member and lost, marks its topic
 * dirty, also when the topic has no member left on this node. Every heartbeat
 * <em>replaces</em> the dirty topics: it writes the node's current members in batches,
 * then scans the hash for this node's fields ({@code HSCAN ... MATCH}) and deletes those
 * of members that are no longer here, so that a member that left while Redis was away
 * does not stay forever. The mark is cleared only when the replace succeeded. Every
 * {@value #FULL_REWRITE_EVERY} heartbeats, and after a heartbeat failed, every topic is
 * replaced; the other heartbeats only extend the lifetime of the topics' hashes (one
 * command per topic, whatever the size of the room), and replace a topic whose hash is
 * gone (Redis restarted, or it expired). A node that stops removes its members at once,
 * and the members of a node that dies stop counting when its node entry expires
 * ({@code stamp.cluster.node-timeout}). {@link dev.stamp.boot.topic.StampTopics} records
 * its WebSocket and WebTransport members here.
 */
public class StampPresence implements TopicPresence {

	private static final Log logger = LogFactory.getLog(StampPresence.class);

	/** Heartbeats between two replaces of every topic, whatever Redis says. */
	static final int FULL_REWRITE_EVERY = 15;

	/** Fields per HSET or HDEL, so that a large room never makes one huge command. */
	private static final int WRITE_BATCH = 1000;

	private final ReactiveStringRedisTemplate redis;

	private final ClusterKeys keys;

	private final String nodeId;

	private final Duration ttl;

	private final Map<String, Set<String>> localMembers = new ConcurrentHashMap<>();

	/** Topics whose hash may not hold exactly this node's members: replaced next. */
	private final Set<String> dirtyTopics = ConcurrentHashMap.newKeySet();

	/** Set when a heartbeat failed: the next one replaces every topic. */
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
		// compute, not computeIfAbsent().add(): a leave emptying the topic meanwhile
		// would drop the set this member was added to.
		this.localMembers.compute(topic, (key, members) -> {
			Set<String> joined = (members != null) ? members : ConcurrentHashMap.newKeySet();
			joined.add(memberId);
			return joined;
		});
		background(topic, write(topic, List.of(memberId)).then(Mono.fromRunnable(() -> {
			// A leave that reached Redis first, then this HSET: the member is there
			// but gone here.
			if (!isLocal(topic, memberId)) {
				this.dirtyTopics.add(topic);
			}
		})), "join");
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
		Mono<Long> removed = this.redis.opsForHash().remove(this.keys.presence(topic), field(memberId));
		background(topic, removed.then(Mono.fromRunnable(() -> {
			// A join again whose HSET reached Redis first, then this HDEL: the member is
			// here but gone there.
			if (isLocal(topic, memberId)) {
				this.dirtyTopics.add(topic);
			}
		})), "leave");
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
	 * Makes the next {@link #refresh()} replace every topic, as after a failed heartbeat.
	 */
	void rewriteAll() {
		this.rewrite.set(true);
	}

	/**
	 * Extends the lifetime of this node's topics and replaces them where needed (see the
	 * class description).
	 * @return completes when every topic has been refreshed
	 */
	Mono<Void> refresh() {
		boolean failedBefore = this.rewrite.getAndSet(false);
		boolean everyTopic = (++this.refreshes % FULL_REWRITE_EVERY == 0) || failedBefore;
		Set<String> topics = new LinkedHashSet<>(this.localMembers.keySet());
		topics.addAll(this.dirtyTopics);
		return Flux.fromIterable(topics)
			.concatMap((topic) -> (everyTopic || this.dirtyTopics.contains(topic)) ? replaceAndClean(topic)
					: extend(topic))
			.then()
			// Also when the heartbeat's timeout cancels it half-way.
			.doFinally((signal) -> {
				if (signal != SignalType.ON_COMPLETE) {
					this.rewrite.set(true);
				}
			});
	}

	private Mono<Void> extend(String topic) {
		if (!this.localMembers.containsKey(topic)) {
			return Mono.empty();
		}
		// EXPIRE answers false for a key that is gone: write the members back.
		return this.redis.expire(this.keys.presence(topic), this.ttl)
			.flatMap((extended) -> extended ? Mono.<Void>empty() : replaceAndClean(topic));
	}

	/**
	 * Replaces the topic and clears its dirty mark, which stays when the replace did not
	 * complete.
	 * @param topic the topic name
	 * @return completes when the topic has been replaced
	 */
	private Mono<Void> replaceAndClean(String topic) {
		return Mono.defer(() -> {
			// Cleared before, not after: a write failing or losing a race meanwhile
			// marks the topic again, for the next heartbeat.
			this.dirtyTopics.remove(topic);
			return replace(topic).doFinally((signal) -> {
				if (signal != SignalType.ON_COMPLETE) {
					this.dirtyTopics.add(topic);
				}
			});
		});
	}

	/**
	 * Makes Redis hold exactly this node's current members of the topic: writes them,
	 * then deletes this node's other fields.
	 * @param topic the topic name
	 * @return completes when the topic has been replaced
	 */
	private Mono<Void> replace(String topic) {
		return Mono.defer(() -> {
			Set<String> members = this.localMembers.get(topic);
			Mono<Void> written = (members != null) ? write(topic, List.copyOf(members)) : Mono.empty();
			// The scan starts after the HSETs answered, so it sees a member that left
			// meanwhile and whose HDEL came before them.
			return written.then(removeFields(topic, (memberId) -> !isLocal(topic, memberId)));
		});
	}

	/**
	 * Removes this node's members from Redis, when the node leaves the cluster.
	 * @return completes when the members have been removed
	 */
	Mono<Void> removeAll() {
		Set<String> topics = new LinkedHashSet<>(this.localMembers.keySet());
		topics.addAll(this.dirtyTopics);
		return Flux.fromIterable(topics).concatMap((topic) -> {
			if (this.dirtyTopics.contains(topic)) {
				// Redis may hold members this node no longer knows.
				return removeFields(topic, (memberId) -> true);
			}
			List<String> memberIds = List.copyOf(this.localMembers.getOrDefault(topic, Set.of()));
			String key = this.keys.presence(topic);
			return Flux.fromIterable(memberIds)
				.buffer(WRITE_BATCH)
				.concatMap((batch) -> this.redis.opsForHash().remove(key, batch.stream().map(this::field).toArray()))
				.then();
		}).then();
	}

	/**
	 * Scans the topic's hash for this node's fields and deletes those of the members the
	 * predicate selects, in batches. A member deleted that is here again by the time the
	 * HDEL answered (it joined again, and its HSET came first) marks the topic dirty.
	 * @param topic the topic name
	 * @param remove selects, by member id, this node's fields to delete
	 * @return completes when the hash has been scanned and the fields deleted
	 */
	private Mono<Void> removeFields(String topic, Predicate<String> remove) {
		String key = this.keys.presence(topic);
		ScanOptions options = ScanOptions.scanOptions()
			.match(ClusterKeys.globEscape(fieldPrefix()) + "*")
			.count(WRITE_BATCH)
			.build();
		return this.redis.<String, String>opsForHash()
			.scan(key, options)
			.mapNotNull((entry) -> member(entry.getKey()))
			.filter((member) -> member.nodeId().equals(this.nodeId) && remove.test(member.memberId()))
			.map(PresenceMember::memberId)
			.buffer(WRITE_BATCH)
			.concatMap((memberIds) -> this.redis.opsForHash()
				.remove(key, memberIds.stream().map(this::field).toArray())
				.doOnSuccess((removed) -> {
					if (memberIds.stream().anyMatch((memberId) -> isLocal(topic, memberId))) {
						this.dirtyTopics.add(topic);
					}
				}))
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

	/**
	 * Whether the topic waits for the next heartbeat to replace it.
	 * @param topic the topic name
	 * @return whether a write of the topic failed or lost a race since its last replace
	 */
	boolean isDirty(String topic) {
		return this.dirtyTopics.contains(topic);
	}

	/**
	 * This node's members of the topic.
	 * @param topic the topic name
	 * @return a copy of the member ids, empty when the topic has none here
	 */
	Set<String> localMembers(String topic) {
		return Set.copyOf(this.localMembers.getOrDefault(topic, Set.of()));
	}

	private boolean isLocal(String topic, String memberId) {
		Set<String> members = this.localMembers.get(topic);
		return members != null && members.contains(memberId);
	}

	private void background(String topic, Mono<Void> write, String operation) {
		// The next heartbeat replaces the dirty topic, so a lost write heals by itself.
		// A race needs no lock: Redis runs one connection's commands in order, so the
		// write that answers last decides, and its check above sees every local change
		// made before it was sent; a later change sends a write of its own.
		// Bounded: while Redis is away the client would queue every join and leave.
		write.timeout(this.ttl).subscribe(null, (ex) -> {
			this.dirtyTopics.add(topic);
			logger.debug("Presence " + operation + " did not reach Redis", ex);
		});
	}

	private String field(String memberId) {
		return field(this.nodeId, memberId);
	}

	/**
	 * The start of every field of this node, which no other node's fields start with.
	 * @return the field prefix
	 */
	private String fieldPrefix() {
		return field(this.nodeId, "");
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

	private static @Nullable PresenceMember member(String field) {
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
