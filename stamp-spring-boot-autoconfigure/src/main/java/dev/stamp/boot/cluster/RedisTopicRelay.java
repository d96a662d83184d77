package dev.stamp.boot.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

import dev.stamp.boot.topic.TopicHistory;
import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.boot.topic.TopicRelay;

/**
 * The {@link TopicRelay} of a cluster on Redis pub/sub.
 * <p>
 * Each node delivers its own publishes locally at once, on the publisher's thread, and
 * sends them to the other nodes through Redis; the publisher never waits for Redis:
 * remote publishes go through a bounded queue, and one that finds it full, or that Redis
 * refuses, is counted as {@link #droppedPublishes() dropped}. What is queued goes to
 * Redis in batches, one script per batch, one batch in flight at a time: the round trip
 * is paid once per batch and the other nodes see each publisher's order. Each node
 * subscribes once to every topic channel of the cluster (a pattern subscription, like
 * Socket.IO's Redis adapter), so a new local subscriber takes effect at once, and the
 * subscription comes back by itself when Redis does.
 * <p>
 * With history ({@code stamp.cluster.history.size} and {@code ttl}), a publish is added
 * to the topic's stream and published in the batch's script ({@link RedisTopicHistory}),
 * and is delivered locally once Redis assigned its offset, still in publish order. The
 * node's own messages (from the script's answer) and the other nodes' (from the channel)
 * go through a {@link TopicSequencer}, so that this node delivers each topic in offset
 * order although they come on two connections. While Redis fails, publishes are delivered
 * locally at once without an offset and counted as dropped, until Redis answers
 * {@code PING} again.
 * <p>
 * Stopping waits, at most {@code node-timeout} (what one batch may take), for what is
 * queued to reach Redis; what is left then is counted as dropped.
 */
public class RedisTopicRelay implements TopicRelay, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisTopicRelay.class);

	// ARGV: channel, message, channel, message... PUBLISHed in that order.
	private static final RedisScript<Long> PUBLISH_BATCH = RedisScript.of("""
			for i = 1, #ARGV, 2 do
			  redis.call('PUBLISH', ARGV[i], ARGV[i + 1])
			end
			return #ARGV / 2
			""", Long.class);

	/** How often stopping looks whether the queue is empty. */
	private static final Duration DRAIN_POLL = Duration.ofMillis(10);

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final ReactiveRedisTemplate<String, byte[]> redis;

	private final ClusterKeys keys;

	private final String nodeId;

	private final Duration publishTimeout;

	private final Duration resubscribeBackoff;

	private final BlockingQueue<RemotePublish> remotePublishes;

	private final int batchSize;

	/** Whether a batch is on its way to Redis: the one consumer of the queue. */
	private final AtomicBoolean sending = new AtomicBoolean();

	private volatile boolean running;

	/** Set once stopped: publishes no longer go to the queue. */
	private volatile boolean stopped;

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final AtomicBoolean subscribed = new AtomicBoolean();

	private final AtomicBoolean failing = new AtomicBoolean();

	private final AtomicBoolean failingSubscription = new AtomicBoolean();

	private final @Nullable RedisTopicHistory history;

	/** Puts the node's own and the channel's messages in offset order, with history. */
	private final @Nullable TopicSequencer sequencer;

	private final Duration probeInterval;

	/** How long stopping waits for queued publishes to reach Redis. */
	private final Duration drainTimeout;

	private final AtomicBoolean probing = new AtomicBoolean();

	private volatile Consumer<TopicMessage> remoteDelivery = (message) -> {
	};

	private volatile @Nullable Disposable batchInFlight;

	private volatile @Nullable Disposable subscription;

	private volatile @Nullable Disposable probe;

	RedisTopicRelay(ReactiveRedisConnectionFactory connectionFactory, ClusterKeys keys, String nodeId,
			StampClusterProperties properties) {
		this.connectionFactory = connectionFactory;
		this.redis = new ReactiveRedisTemplate<>(connectionFactory,
				RedisSerializationContext.<String, byte[]>newSerializationContext(RedisSerializer.string())
					.value(RedisSerializer.byteArray())
					.build());
		this.keys = keys;
		this.nodeId = nodeId;
		this.publishTimeout = properties.getNodeTimeout();
		this.resubscribeBackoff = properties.getHeartbeat();
		StampClusterProperties.History history = properties.getHistory();
		this.history = (history.getSize() > 0)
				? new RedisTopicHistory(this.redis, keys, history.getSize(), history.getTtl()) : null;
		this.sequencer = (this.history != null) ? new TopicSequencer(this.history::between, this::deliverRemote,
				TopicSequencer.HOLD_TIME, this.publishTimeout, TopicSequencer.MAX_HELD_PER_TOPIC,
				TopicSequencer.MAX_TOPICS, Schedulers.parallel()) : null;
		this.probeInterval = properties.getHeartbeat();
		this.drainTimeout = properties.getNodeTimeout();
		this.remotePublishes = new ArrayBlockingQueue<>(Math.max(1, properties.getPublishQueueSize()));
		this.batchSize = Math.max(1, properties.getPublishBatchSize());
	}

	@Override
	public void publish(TopicMessage message, Consumer<TopicMessage> localDelivery) {
		if (this.history == null) {
			localDelivery.accept(message);
		}
		if (this.stopped) {
			// Nothing sends the queue any more: the other nodes miss it.
			this.dropped.incrementAndGet();
			if (this.history != null) {
				localDelivery.accept(message);
			}
			return;
		}
		RemotePublish remote = new RemotePublish(message, (this.history != null) ? localDelivery : null);
		if (!this.remotePublishes.offer(remote)) {
			this.dropped.incrementAndGet();
			if (this.history != null) {
				// Ahead of the publishes still queued: the only case where history breaks
				// the publisher's order, rather than delay this node's subscribers more.
				localDelivery.accept(message);
			}
		}
		sendQueued();
	}

	/**
	 * Sends what is queued unless a batch is in flight already, in which case its
	 * completion sends the rest. A batch that completes before {@code subscribe} returns
	 * (Redis failing, history delivered locally) loops here rather than recursing.
	 */
	private void sendQueued() {
		while (this.running && !this.remotePublishes.isEmpty() && this.sending.compareAndSet(false, true)) {
			List<RemotePublish> batch = new ArrayList<>(Math.min(this.batchSize, this.remotePublishes.size()));
			this.remotePublishes.drainTo(batch, this.batchSize);
			AtomicBoolean handedOver = new AtomicBoolean();
			// Deferred: a local delivery that throws fails this batch, not the caller.
			this.batchInFlight = Mono.defer(() -> send(batch))
				.subscribe(null, (ex) -> sent(handedOver), () -> sent(handedOver));
			if (handedOver.compareAndSet(false, true)) {
				// Still in flight: its completion sends what is queued by then.
				return;
			}
		}
	}

	// Ends a batch: what was queued meanwhile is sent on by this thread, unless the batch
	// completed before subscribe returned, then sendQueued() loops on.
	private void sent(AtomicBoolean handedOver) {
		this.sending.set(false);
		if (!handedOver.compareAndSet(false, true)) {
			sendQueued();
		}
	}

	@Override
	public boolean keepsHistory() {
		return this.history != null;
	}

	@Override
	public Mono<TopicHistory> history(String topic, String afterOffset) {
		return requiredHistory().read(topic, afterOffset).timeout(this.publishTimeout);
	}

	@Override
	public Mono<String> latestOffset(String topic) {
		return requiredHistory().latestOffset(topic).timeout(this.publishTimeout);
	}

	private RedisTopicHistory requiredHistory() {
		RedisTopicHistory history = this.history;
		if (history == null) {
			throw new IllegalStateException(
					"Topics keep no history: set stamp.cluster.history.size and stamp.cluster.history.ttl");
		}
		return history;
	}

	@Override
	public String nodeId() {
		return this.nodeId;
	}

	@Override
	public void onRemoteMessage(Consumer<TopicMessage> remoteDelivery) {
		this.remoteDelivery = remoteDelivery;
	}

	@Override
	public long receivedMessages() {
		return this.received.get();
	}

	@Override
	public long droppedPublishes() {
		return this.dropped.get();
	}

	@Override
	public boolean isReceivingRemote() {
		return this.subscribed.get();
	}

	@Override
	public void start() {
		// One batch in flight at a time: concurrent commands can reach Redis out of order
		// (the template may issue them from different threads), and other nodes must see
		// a publisher's messages in the order it published them.
		this.running = true;
		sendQueued();
		String pattern = this.keys.topicChannelPattern();
		SubscriptionListener listener = new SubscriptionListener() {

			@Override
			public void onPatternSubscribed(byte[] pattern, long count) {
				RedisTopicRelay.this.subscribed.set(true);
				RedisTopicRelay.this.failingSubscription.set(false);
			}

		};
		// A container per attempt: one whose connection failed (Redis down at start-up)
		// is not reused.
		this.subscription = Flux.defer(() -> {
			ReactiveRedisMessageListenerContainer container = new ReactiveRedisMessageListenerContainer(
					this.connectionFactory);
			return container
				.receive(List.of(PatternTopic.of(pattern)), SerializationPair.fromSerializer(RedisSerializer.string()),
						SerializationPair.fromSerializer(RedisSerializer.byteArray()), listener)
				.doFinally((signal) -> container.destroyLater().onErrorComplete().subscribe());
		}).doOnError((ex) -> {
			this.subscribed.set(false);
			if (!this.failingSubscription.getAndSet(true)) {
				logger.warn("Not subscribed to the cluster's topics, retrying: " + ex.getMessage());
			}
		})
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
				.maxBackoff(this.resubscribeBackoff)
				.transientErrors(true))
			.subscribe(this::receive);
	}

	private Mono<Void> send(List<RemotePublish> batch) {
		RedisTopicHistory history = this.history;
		if (history == null) {
			return publish(batch).timeout(this.publishTimeout)
				.doOnSuccess((receivers) -> recovered())
				.onErrorResume((ex) -> {
					failed(ex, batch.size());
					return Mono.empty();
				})
				.then();
		}
		List<TopicMessage> messages = batch.stream().map(RemotePublish::message).toList();
		if (this.failing.get()) {
			// Redis failed the previous publish: deliver at once rather than let every
			// queued publish wait for a timeout; the probe notices when Redis is back.
			this.dropped.addAndGet(batch.size());
			deliverLocally(batch, messages);
			return Mono.empty();
		}
		return history.publish(this.nodeId, messages).timeout(this.publishTimeout).doOnNext((appended) -> {
			recovered();
			deliverInOrder(batch, appended);
		}).onErrorResume((ex) -> {
			failed(ex, batch.size());
			deliverLocally(batch, messages);
			return Mono.empty();
		}).then();
	}

	// Own messages with their offsets: through the sequencer, with the other nodes'.
	private void deliverInOrder(List<RemotePublish> batch, List<RedisTopicHistory.Appended> appended) {
		RedisTopicHistory history = this.history;
		TopicSequencer sequencer = this.sequencer;
		for (int i = 0; i < batch.size(); i++) {
			RemotePublish remote = batch.get(i);
			Consumer<TopicMessage> localDelivery = remote.localDelivery();
			if (localDelivery != null && history != null && sequencer != null) {
				TopicMessage message = remote.message().withOffset(appended.get(i).offset());
				sequencer.deliver(message, appended.get(i).previousOffset(), (delivered) -> {
					history.delivered(delivered);
					localDelivery.accept(delivered);
				});
			}
		}
	}

	private Mono<Long> publish(List<RemotePublish> batch) {
		if (batch.size() == 1) {
			TopicMessage message = batch.get(0).message();
			return this.redis.convertAndSend(this.keys.topicChannel(message.topic()), encode(message));
		}
		List<byte[]> args = new ArrayList<>(2 * batch.size());
		for (RemotePublish remote : batch) {
			args.add(this.keys.topicChannel(remote.message().topic()).getBytes(StandardCharsets.UTF_8));
			args.add(encode(remote.message()));
		}
		return this.redis.execute(PUBLISH_BATCH, List.of(), args).next();
	}

	private byte[] encode(TopicMessage message) {
		return TopicMessageCodec.encode(this.nodeId, message.binary(), message.payload());
	}

	private static void deliverLocally(List<RemotePublish> batch, List<TopicMessage> messages) {
		for (int i = 0; i < batch.size(); i++) {
			Consumer<TopicMessage> localDelivery = batch.get(i).localDelivery();
			if (localDelivery != null) {
				localDelivery.accept(messages.get(i));
			}
		}
	}

	private void recovered() {
		if (this.failing.compareAndSet(true, false)) {
			logger.info("Publishing to the cluster through Redis again");
		}
	}

	private void failed(Throwable ex, int publishes) {
		this.dropped.addAndGet(publishes);
		if (this.failing.compareAndSet(false, true)) {
			logger.warn("Publishing to the cluster failed, other nodes miss messages until Redis answers: "
					+ ex.getMessage());
			if (this.history != null) {
				probe();
			}
		}
	}

	private void probe() {
		if (!this.probing.compareAndSet(false, true)) {
			return;
		}
		this.probe = Mono.defer(() -> this.redis.execute((connection) -> connection.ping()).next())
			.timeout(this.publishTimeout)
			.retryWhen(Retry.fixedDelay(Long.MAX_VALUE, this.probeInterval))
			.subscribe((pong) -> {
				// Before recovered(): a publish failing right after starts a probe of its
				// own.
				this.probing.set(false);
				recovered();
			}, (ex) -> this.probing.set(false));
	}

	private void receive(ReactiveSubscription.Message<String, byte[]> message) {
		String channel = message.getChannel();
		TopicMessageCodec.Decoded decoded = TopicMessageCodec.decodeWithPrevious(this.keys.topicOf(channel),
				message.getMessage());
		if (decoded == null || decoded.message().nodeId().equals(this.nodeId)) {
			// Own publishes were delivered locally already.
			return;
		}
		this.received.incrementAndGet();
		TopicSequencer sequencer = this.sequencer;
		if (sequencer != null) {
			sequencer.deliver(decoded.message(), decoded.previousOffset(), this::deliverRemote);
		}
		else {
			this.remoteDelivery.accept(decoded.message());
		}
	}

	// Another node's message from the channel, or an entry read from the history to fill
	// a gap (which may be this node's own, ahead of the script's answer).
	private void deliverRemote(TopicMessage message) {
		RedisTopicHistory history = this.history;
		if (history != null) {
			history.delivered(message);
		}
		this.remoteDelivery.accept(message);
	}

	@Override
	public void stop() {
		drain().block();
		stopNow();
	}

	@Override
	public void stop(Runnable callback) {
		drain().doFinally((signal) -> {
			stopNow();
			callback.run();
		}).subscribe();
	}

	/**
	 * Waits, at most {@code stamp.cluster.node-timeout}, for the publishes still queued
	 * to reach Redis: a node that stops does not take its last messages from the other
	 * nodes. The listeners drained already, so the queue no longer grows much.
	 * @return completes once nothing is queued or in flight, or when the time is up
	 */
	private Mono<Void> drain() {
		return Flux.interval(Duration.ZERO, DRAIN_POLL)
			.filter((tick) -> this.remotePublishes.isEmpty() && !this.sending.get())
			.next()
			.then()
			.timeout(this.drainTimeout, Mono.empty());
	}

	private void stopNow() {
		this.running = false;
		this.stopped = true;
		this.subscribed.set(false);
		dispose(this.subscription);
		// A batch still in flight is left to end by itself, within its timeout: then it
		// is counted, and with history delivered here, like any other.
		dispose(this.probe);
		if (this.sequencer != null) {
			this.sequencer.close();
		}
		List<RemotePublish> left = new ArrayList<>();
		this.remotePublishes.drainTo(left);
		if (!left.isEmpty()) {
			this.dropped.addAndGet(left.size());
			logger.warn(left.size() + " publishes did not reach Redis within " + this.drainTimeout
					+ " of stopping: the other nodes miss them");
			// With history they waited for their offset: this node's subscribers still
			// get them, without one.
			deliverLocally(left, left.stream().map(RemotePublish::message).toList());
		}
	}

	private static void dispose(Disposable disposable) {
		if (disposable != null) {
			disposable.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		Disposable current = this.subscription;
		return current != null && !current.isDisposed();
	}

	@Override
	public int getPhase() {
		return ClusterAutoConfiguration.PHASE;
	}

	/**
	 * A publish on its way to Redis.
	 *
	 * @param message the message published on this node
	 * @param localDelivery where the message goes once Redis assigned its offset, or
	 * {@code null} when it was delivered locally already
	 */
	private record RemotePublish(TopicMessage message, @Nullable Consumer<TopicMessage> localDelivery) {
	}

}
