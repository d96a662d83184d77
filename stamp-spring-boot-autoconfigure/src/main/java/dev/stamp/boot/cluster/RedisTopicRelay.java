package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
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
 * refuses, is counted as {@link #droppedPublishes() dropped}. Each node subscribes once
 * to every topic channel of the cluster (a pattern subscription, like Socket.IO's Redis
 * adapter), so a new local subscriber takes effect at once, and the subscription comes
 * back by itself when Redis does.
 * <p>
 * With history ({@code stamp.cluster.history.size} and {@code ttl}), a publish is added
 * to the topic's stream and published in one script ({@link RedisTopicHistory}), and is
 * delivered locally once Redis assigned its offset, still in publish order. While Redis
 * fails, publishes are delivered locally at once without an offset and counted as
 * dropped, until Redis answers {@code PING} again.
 */
public class RedisTopicRelay implements TopicRelay, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisTopicRelay.class);

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final ReactiveRedisTemplate<String, byte[]> redis;

	private final ClusterKeys keys;

	private final String nodeId;

	private final Duration publishTimeout;

	private final Duration resubscribeBackoff;

	private final Sinks.Many<RemotePublish> remotePublishes;

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final AtomicBoolean subscribed = new AtomicBoolean();

	private final AtomicBoolean failing = new AtomicBoolean();

	private final AtomicBoolean failingSubscription = new AtomicBoolean();

	private final @Nullable RedisTopicHistory history;

	private final Duration probeInterval;

	private final AtomicBoolean probing = new AtomicBoolean();

	private volatile Consumer<TopicMessage> remoteDelivery = (message) -> {
	};

	private volatile @Nullable Disposable publishing;

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
		this.probeInterval = properties.getHeartbeat();
		this.remotePublishes = Sinks.many()
			.unicast()
			.onBackpressureBuffer(Queues.<RemotePublish>get(properties.getPublishQueueSize()).get());
	}

	@Override
	public void publish(TopicMessage message, Consumer<TopicMessage> localDelivery) {
		if (this.history == null) {
			localDelivery.accept(message);
		}
		RemotePublish remote = new RemotePublish(message, (this.history != null) ? localDelivery : null);
		Sinks.EmitResult result;
		synchronized (this.remotePublishes) {
			result = this.remotePublishes.tryEmitNext(remote);
		}
		if (result.isFailure()) {
			this.dropped.incrementAndGet();
			if (this.history != null) {
				// Ahead of the publishes still queued: the only case where history breaks
				// the publisher's order, rather than delay this node's subscribers more.
				localDelivery.accept(message);
			}
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
		// One publish in flight at a time: concurrent PUBLISH commands can reach Redis
		// out
		// of order (the template may issue them from different threads), and other nodes
		// must see a publisher's messages in the order it published them.
		this.publishing = this.remotePublishes.asFlux().concatMap(this::send).subscribe();
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

	private Mono<Void> send(RemotePublish remote) {
		Consumer<TopicMessage> localDelivery = remote.localDelivery();
		RedisTopicHistory history = this.history;
		if (history == null || localDelivery == null) {
			TopicMessage message = remote.message();
			return this.redis
				.convertAndSend(this.keys.topicChannel(message.topic()),
						TopicMessageCodec.encode(this.nodeId, message.binary(), message.payload()))
				.timeout(this.publishTimeout)
				.doOnSuccess((receivers) -> recovered())
				.onErrorResume((ex) -> {
					failed(ex);
					return Mono.empty();
				})
				.then();
		}
		if (this.failing.get()) {
			// Redis failed the previous publish: deliver at once rather than let every
			// queued publish wait for a timeout; the probe notices when Redis is back.
			this.dropped.incrementAndGet();
			localDelivery.accept(remote.message());
			return Mono.empty();
		}
		return history.publish(this.nodeId, remote.message()).timeout(this.publishTimeout).map((offset) -> {
			recovered();
			return remote.message().withOffset(offset);
		}).onErrorResume((ex) -> {
			failed(ex);
			return Mono.just(remote.message());
		}).doOnNext((message) -> {
			history.delivered(message);
			localDelivery.accept(message);
		}).then();
	}

	private void recovered() {
		if (this.failing.compareAndSet(true, false)) {
			logger.info("Publishing to the cluster through Redis again");
		}
	}

	private void failed(Throwable ex) {
		this.dropped.incrementAndGet();
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
		TopicMessage decoded = TopicMessageCodec.decode(this.keys.topicOf(channel), message.getMessage());
		if (decoded == null || decoded.nodeId().equals(this.nodeId)) {
			// Own publishes were delivered locally already.
			return;
		}
		if (this.history != null) {
			this.history.delivered(decoded);
		}
		this.received.incrementAndGet();
		this.remoteDelivery.accept(decoded);
	}

	@Override
	public void stop() {
		this.subscribed.set(false);
		dispose(this.subscription);
		dispose(this.publishing);
		dispose(this.probe);
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
