package dev.stamp.boot.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.core.ConnectionStats;

/**
 * This node's membership of the cluster and the view of the live nodes.
 * <p>
 * While running, the node writes its entry (start time, listeners and their counters,
 * topic counters) to Redis every {@code stamp.cluster.heartbeat} with a lifetime of
 * {@code stamp.cluster.node-timeout}, and refreshes its {@link StampPresence presence}.
 * Stopping removes the entry and the node's presence at once; a node that dies drops out
 * when its entry expires. When it first reaches Redis, and again after a heartbeat
 * failed, it checks that Redis fits ({@link RedisRequirements}): a Redis Cluster, or a
 * Redis before 7.0 with history, is logged as an error once and kept as
 * {@link #requirementFailure()}.
 */
public class StampCluster implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StampCluster.class);

	private static final String STARTED_AT = "startedAt";

	private static final String HEARTBEAT_AT = "heartbeatAt";

	private static final String LISTENER = "listener.";

	// ARGV: lifetime (ms), this start's instance token, then field, value... Answers 0
	// when the entry it replaced was another instance's.
	private static final RedisScript<Long> WRITE_ENTRY = RedisScript.of("""
			local previous = redis.call('HGET', KEYS[1], 'instance')
			redis.call('DEL', KEYS[1])
			redis.call('HSET', KEYS[1], unpack(ARGV, 3))
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			if previous and previous ~= ARGV[2] then
			  return 0
			end
			return 1
			""", Long.class);

	private static final String INSTANCE = "instance";

	private static final String TOPICS = "topics";

	private final ReactiveStringRedisTemplate redis;

	private final ClusterKeys keys;

	private final String nodeId;

	private final Duration heartbeat;

	private final Duration nodeTimeout;

	private final Supplier<List<StampListener>> listeners;

	private final StampPresence presence;

	private final StampTopics topics;

	private final Clock clock;

	private final AtomicReference<@Nullable String> heartbeatFailure = new AtomicReference<>("no heartbeat yet");

	private final boolean history;

	private final AtomicReference<@Nullable String> requirementFailure = new AtomicReference<>();

	/** Whether Redis' INFO was read since the node last reached Redis. */
	private volatile boolean requirementsChecked;

	private volatile Instant startedAt;

	/** Tells this start's entry from another node's that has the same id. */
	private volatile String instance = UUID.randomUUID().toString();

	/** Whether this start wrote its entry yet. */
	private volatile boolean wroteEntry;

	/** When a heartbeat last found another live node's entry under this id. */
	private volatile @Nullable Instant duplicateSeenAt;

	private volatile Disposable heartbeats;

	StampCluster(ReactiveStringRedisTemplate redis, ClusterKeys keys, String nodeId, StampClusterProperties properties,
			Supplier<List<StampListener>> listeners, StampPresence presence, StampTopics topics, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.nodeId = nodeId;
		this.heartbeat = properties.getHeartbeat();
		this.nodeTimeout = properties.getNodeTimeout();
		this.history = properties.getHistory().getSize() > 0;
		this.listeners = listeners;
		this.presence = presence;
		this.topics = topics;
		this.clock = clock;
	}

	/**
	 * This node's id.
	 * @return the node id
	 */
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * The nodes whose entry has not expired, this one included while it runs, by id.
	 * @return the live nodes, sorted by id
	 */
	public Mono<List<ClusterNode>> nodes() {
		String nodes = this.keys.nodes();
		return this.redis.opsForSet()
			.members(nodes)
			.concatMap((id) -> this.redis.<String, String>opsForHash()
				.entries(this.keys.node(id))
				.collectMap(Map.Entry::getKey, Map.Entry::getValue)
				.flatMap((fields) -> {
					if (fields.isEmpty()) {
						// Expired: the node died without leaving.
						return this.redis.opsForSet().remove(nodes, id).then(Mono.empty());
					}
					return Mono.justOrEmpty(node(id, fields));
				}))
			.collectSortedList(Comparator.comparing(ClusterNode::id));
	}

	/**
	 * Why the last heartbeat failed, or {@code null} when it reached Redis: the node is
	 * then listed by every other node.
	 * @return the failure description, or {@code null}
	 */
	public @Nullable String heartbeatFailure() {
		return this.heartbeatFailure.get();
	}

	/**
	 * Why Redis does not fit Stamp's cluster (a Redis Cluster, or a version without what
	 * history needs), or {@code null} when it does or has not answered yet.
	 * @return the requirement Redis misses, or {@code null}
	 */
	public @Nullable String requirementFailure() {
		return this.requirementFailure.get();
	}

	/**
	 * Why this node's id is in doubt: another live node wrote an entry under it within
	 * {@code node-timeout}, or {@code null}.
	 * @return the description, or {@code null}
	 */
	public @Nullable String duplicateNodeId() {
		Instant seen = this.duplicateSeenAt;
		if (seen == null || seen.plus(this.nodeTimeout).isBefore(this.clock.instant())) {
			return null;
		}
		return "another live node uses stamp.cluster.node-id '" + this.nodeId + "'";
	}

	@Override
	public void start() {
		this.startedAt = this.clock.instant();
		this.instance = UUID.randomUUID().toString();
		this.wroteEntry = false;
		this.heartbeats = Flux.interval(Duration.ZERO, this.heartbeat)
			.onBackpressureDrop()
			.concatMap((tick) -> beat())
			.subscribe();
	}

	private Mono<Void> beat() {
		return Mono.defer(() -> isRunning() ? checkRequirements().then(writeEntry()) : Mono.empty());
	}

	/**
	 * Whether Redis' INFO has been read since the node last reached Redis.
	 * @return whether {@link #requirementFailure()} reflects the current Redis
	 */
	boolean requirementsChecked() {
		return this.requirementsChecked;
	}

	private Mono<Void> checkRequirements() {
		if (this.requirementsChecked) {
			return Mono.empty();
		}
		// INFO answers also where keys cannot be written (a Redis Cluster without slots
		// here), so the check does not wait for a heartbeat to succeed.
		return Mono.zip(info("server"), info("cluster")).timeout(this.heartbeat).doOnNext((info) -> {
			this.requirementsChecked = true;
			String violation = RedisRequirements.violation(info.getT1(), info.getT2(), this.history);
			String before = this.requirementFailure.getAndSet(violation);
			if (violation != null && !violation.equals(before)) {
				logger.error("Node " + this.nodeId + ": " + violation);
			}
			else if (violation == null && before != null) {
				logger.info("Node " + this.nodeId + ": Redis fits the cluster now");
			}
		}).then().onErrorResume((ex) -> {
			logger.debug("Node " + this.nodeId + " could not read Redis' INFO", ex);
			return Mono.empty();
		});
	}

	private Mono<Properties> info(String section) {
		return this.redis.execute((connection) -> connection.serverCommands().info(section)).next();
	}

	/**
	 * This node as its next heartbeat describes it: its configured listeners with their
	 * counters and its topic counters; what the cluster lists for this node, also while
	 * Redis does not answer.
	 * @return this node's current entry
	 */
	public ClusterNode localNode() {
		Instant now = this.clock.instant();
		Instant started = (this.startedAt != null) ? this.startedAt : now;
		List<ClusterNode.NodeListener> nodeListeners = new ArrayList<>();
		for (StampListener listener : this.listeners.get()) {
			if (listener.isConfigured()) {
				ConnectionStats stats = listener.stats();
				nodeListeners.add(new ClusterNode.NodeListener(listener.name(), listener.host(), listener.port(),
						stats.activeConnections(), stats.maxConnections(), stats.acceptedConnections(),
						stats.refusedConnections(), listener.counters()));
			}
		}
		nodeListeners.sort(Comparator.comparing(ClusterNode.NodeListener::name));
		ClusterNode.TopicCounters topicCounters = new ClusterNode.TopicCounters(this.topics.publishedMessages(),
				this.topics.receivedMessages(), this.topics.droppedPublishes());
		return new ClusterNode(this.nodeId, started, now, List.copyOf(nodeListeners), topicCounters);
	}

	private Mono<Void> writeEntry() {
		String key = this.keys.node(this.nodeId);
		ClusterNode node = localNode();
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put(STARTED_AT, Long.toString(node.startedAt().toEpochMilli()));
		fields.put(INSTANCE, this.instance);
		fields.put(HEARTBEAT_AT, Long.toString(node.heartbeatAt().toEpochMilli()));
		for (ClusterNode.NodeListener listener : node.listeners()) {
			fields.put(LISTENER + listener.name(), listener.encode());
		}
		fields.put(TOPICS, node.topics().encode());
		List<String> arguments = new ArrayList<>(List.of(Long.toString(this.nodeTimeout.toMillis()), this.instance));
		fields.forEach((field, value) -> {
			arguments.add(field);
			arguments.add(value);
		});
		// One script replaces the whole entry, so that a removed listener's field goes
		// and the entry never looks absent to a node reading it meanwhile.
		return this.redis.execute(WRITE_ENTRY, List.of(key), arguments)
			.doOnNext(this::checkOwnEntry)
			.then(this.redis.opsForSet().add(this.keys.nodes(), this.nodeId))
			// The set of ids outlives no node: with every node gone it expires too.
			.then(this.redis.expire(this.keys.nodes(), this.nodeTimeout))
			// Deferred: the refresh decides what to write when it runs, after the entry
			// was written, not when the heartbeat is put together.
			.then(Mono.defer(this.presence::refresh))
			// A slow beat skips ticks; only one that outlasts the entry is a failure.
			.timeout(this.nodeTimeout)
			.doOnSuccess((done) -> {
				if (this.heartbeatFailure.getAndSet(null) != null) {
					logger.info("Node " + this.nodeId + " is in the cluster");
				}
			})
			.onErrorResume((ex) -> {
				String reason = RedisFailures.describe(ex);
				// Redis may come back with old or no data: the next heartbeat writes
				// every member again.
				this.presence.rewriteAll();
				if (this.heartbeatFailure.getAndSet(reason) == null) {
					// Redis may come back as another server: check it again then.
					this.requirementsChecked = false;
					logger.warn("Node " + this.nodeId + " cannot reach Redis, other nodes will drop it after "
							+ this.nodeTimeout + ": " + reason);
				}
				return Mono.empty();
			});
	}

	// The first write may replace the entry of this node's previous run (a restart within
	// node-timeout, same id); later ones only replace another live node's.
	private void checkOwnEntry(Long result) {
		boolean first = !this.wroteEntry;
		this.wroteEntry = true;
		if (result == 0 && !first) {
			if (duplicateNodeId() == null) {
				logger.error("Another live node uses stamp.cluster.node-id '" + this.nodeId
						+ "': the two ignore each other's messages and overwrite each other's entry; give each node"
						+ " its own id");
			}
			this.duplicateSeenAt = this.clock.instant();
		}
	}

	private static ClusterNode node(String id, Map<String, String> fields) {
		try {
			List<ClusterNode.NodeListener> nodeListeners = new ArrayList<>();
			fields.forEach((name, value) -> {
				if (name.startsWith(LISTENER)) {
					ClusterNode.NodeListener listener = ClusterNode.NodeListener
						.decode(name.substring(LISTENER.length()), value);
					if (listener != null) {
						nodeListeners.add(listener);
					}
				}
			});
			nodeListeners.sort(Comparator.comparing(ClusterNode.NodeListener::name));
			return new ClusterNode(id, Instant.ofEpochMilli(Long.parseLong(fields.get(STARTED_AT))),
					Instant.ofEpochMilli(Long.parseLong(fields.get(HEARTBEAT_AT))), List.copyOf(nodeListeners),
					ClusterNode.TopicCounters.decode(fields.get(TOPICS)));
		}
		catch (RuntimeException ex) {
			// A half-written or foreign entry: not a node this one can read.
			return null;
		}
	}

	@Override
	public void stop() {
		leave().block();
	}

	@Override
	public void stop(Runnable callback) {
		leave().doFinally((signal) -> callback.run()).subscribe();
	}

	private Mono<Void> leave() {
		Disposable current = this.heartbeats;
		if (current == null || current.isDisposed()) {
			return Mono.empty();
		}
		current.dispose();
		// Leaving at once spares the other nodes the node timeout; if Redis does not
		// answer, the entry expires by itself.
		return this.presence.removeAll()
			.then(this.redis.delete(this.keys.node(this.nodeId)))
			.then(this.redis.opsForSet().remove(this.keys.nodes(), this.nodeId))
			.timeout(this.heartbeat)
			.then()
			.onErrorResume((ex) -> {
				logger.debug("Node " + this.nodeId + " could not leave the cluster", ex);
				return Mono.empty();
			});
	}

	/** Stops heartbeating without leaving, as a node that dies would. */
	void halt() {
		Disposable current = this.heartbeats;
		if (current != null) {
			current.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.heartbeats;
		return current != null && !current.isDisposed();
	}

	@Override
	public int getPhase() {
		return ClusterAutoConfiguration.PHASE;
	}

}
