package dev.stamp.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.HdrHistogram.Histogram;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/**
 * The fan-out figure: one publisher, N subscribers in one room, M messages. Three peers
 * in the same run: Stamp with the subscribers spread over two nodes (separate server JVMs
 * clustered on one {@code redis-server}), the publisher and every subscriber on one of
 * those nodes, and raw Lettuce pub/sub on the same Redis (one publishing connection, a
 * subscribing connection per subscriber) as the limit.
 * <p>
 * The publisher keeps at most {@code --fanout-window} messages in flight (sent, not yet
 * received by every subscriber), each carrying its send time; a subscriber checks that it
 * receives every message once and in order. Before each pass the publisher sends sync
 * messages until every subscriber received one, so that the pass starts with the room
 * complete on every node.
 */
final class FanoutBenchmark {

	/** The scenario's name on the command line and in the report. */
	static final String SCENARIO = "fanout";

	/** The server process mode of a cluster node ({@link ServerMain}). */
	static final String NODE_MODE = "fanout-node";

	/** The room's WebSocket path on the Stamp nodes. */
	static final String ROOM_PATH = "/fanout-room";

	static final String TWO_NODES = "stamp-two-nodes";

	static final String ONE_NODE = "stamp-one-node";

	static final String LETTUCE = "lettuce";

	static final List<String> PEERS = List.of(TWO_NODES, ONE_NODE, LETTUCE);

	private static final String SYNC = "sync";

	private static final String CHANNEL = "fanout-lettuce";

	private static final Duration SYNC_INTERVAL = Duration.ofMillis(50);

	private FanoutBenchmark() {
	}

	/**
	 * Runs every peer for the options' rounds, interleaved, after an unrecorded warm-up
	 * pass of each.
	 * @param options the run's options
	 * @param report where the rows go
	 * @throws Exception if a server or Redis does not start
	 */
	static void run(BenchmarkOptions options, BenchmarkReport report) throws Exception {
		try (RedisServer redis = RedisServer.start(options.logDirectory);
				ServerProcess alpha = node(options, redis, "alpha");
				ServerProcess beta = node(options, redis, "beta")) {
			report.serverJava = alpha.javaVersion();
			Map<String, Pass> passes = Map.of(TWO_NODES, (subscribers,
					messages) -> stamp(alpha.port("ws/alpha"), beta.port("ws/beta"), subscribers, messages, options),
					ONE_NODE,
					(subscribers, messages) -> stamp(alpha.port("ws/alpha"), alpha.port("ws/alpha"), subscribers,
							messages, options),
					LETTUCE, (subscribers, messages) -> lettuce(redis.port(), subscribers, messages, options));
			for (String peer : PEERS) {
				Result warmup = passes.get(peer)
					.run(options.fanoutSubscribers, Math.max(10, options.fanoutMessages / 4));
				BenchmarkMain.log("fanout " + peer + " warm-up: " + warmup.describe());
			}
			for (int round = 1; round <= options.fanoutRounds; round++) {
				List<String> order = new ArrayList<>(PEERS);
				if (round % 2 == 0) {
					Collections.reverse(order);
				}
				for (String peer : order) {
					Result result = passes.get(peer).run(options.fanoutSubscribers, options.fanoutMessages);
					report.fanout.add(new Row(peer, round, result));
					BenchmarkMain.log("fanout " + peer + " round " + round + ": " + result.describe());
				}
			}
			report.leakReports += alpha.leakReports() + beta.leakReports();
		}
	}

	private static ServerProcess node(BenchmarkOptions options, RedisServer redis, String nodeId) throws Exception {
		return ServerProcess.start(NODE_MODE + "-" + nodeId, NODE_MODE,
				List.of(Integer.toString(redis.port()), nodeId, Integer.toString(options.fanoutBatchSize)),
				options.serverJvmArgs, options.logDirectory);
	}

	/**
	 * A pass through Stamp: even subscribers on the first node, odd ones on the second
	 * (the same node for the one-node peer), the publisher on the first.
	 */
	private static Result stamp(int firstPort, int secondPort, int subscribers, int messages, BenchmarkOptions options)
			throws Exception {
		HttpClient client = HttpClient.create().newConnection();
		List<Disposable> connections = new ArrayList<>();
		try {
			Fanout fanout = new Fanout(subscribers, messages, options.fanoutWindow);
			CountDownLatch connected = new CountDownLatch(subscribers + 1);
			for (int i = 0; i < subscribers; i++) {
				Subscriber subscriber = fanout.subscribers.get(i);
				connections.add(client.websocket()
					.uri(URI.create("ws://127.0.0.1:" + ((i % 2 == 0) ? firstPort : secondPort) + ROOM_PATH))
					.handle((in, out) -> {
						connected.countDown();
						return in.receiveFrames().doOnNext((frame) -> {
							if (frame instanceof TextWebSocketFrame text) {
								subscriber.receive(text.text());
							}
						}).then();
					})
					.subscribe(null, (ex) -> fanout.error(ex)));
			}
			Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
			connections
				.add(client.websocket().uri(URI.create("ws://127.0.0.1:" + firstPort + ROOM_PATH)).handle((in, out) -> {
					connected.countDown();
					// The sender is in the room too: read its copies so that it is not
					// cut off.
					return Mono.when(out.sendString(outbound.asFlux()), in.receive().then());
				}).subscribe(null, (ex) -> fanout.error(ex)));
			if (!connected.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Fan-out clients did not connect in 60 s");
			}
			return fanout.run((text) -> {
				synchronized (outbound) {
					outbound.tryEmitNext(text);
				}
			}, options);
		}
		finally {
			connections.forEach(Disposable::dispose);
		}
	}

	/** A pass through raw Lettuce pub/sub on the same Redis. */
	private static Result lettuce(int redisPort, int subscribers, int messages, BenchmarkOptions options)
			throws Exception {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
		List<StatefulRedisPubSubConnection<String, String>> connections = new ArrayList<>();
		try {
			Fanout fanout = new Fanout(subscribers, messages, options.fanoutWindow);
			for (Subscriber subscriber : fanout.subscribers) {
				StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
				connections.add(connection);
				connection.addListener(new RedisPubSubAdapter<>() {

					@Override
					public void message(String channel, String message) {
						subscriber.receive(message);
					}

				});
				connection.sync().subscribe(CHANNEL);
			}
			try (StatefulRedisConnection<String, String> publisher = client.connect()) {
				return fanout.run((text) -> publisher.async().publish(CHANNEL, text), options);
			}
		}
		finally {
			connections.forEach(StatefulRedisPubSubConnection::close);
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	/** One pass of a peer. */
	@FunctionalInterface
	private interface Pass {

		Result run(int subscribers, int messages) throws Exception;

	}

	/** The publisher's side of a pass and what its subscribers received. */
	private static final class Fanout {

		private static final AtomicLong passes = new AtomicLong();

		private final String pass = "p" + passes.incrementAndGet();

		private final int messages;

		private final List<Subscriber> subscribers = new ArrayList<>();

		private final AtomicIntegerArray pending;

		private final Semaphore window;

		private final CountDownLatch synced;

		private final CountDownLatch complete;

		private final AtomicLong lastReceived = new AtomicLong();

		private final AtomicLong errors = new AtomicLong();

		private volatile String errorSample = "";

		Fanout(int subscribers, int messages, int window) {
			this.messages = messages;
			this.window = new Semaphore(window);
			this.pending = new AtomicIntegerArray(messages);
			for (int i = 0; i < messages; i++) {
				this.pending.set(i, subscribers);
			}
			this.synced = new CountDownLatch(subscribers);
			this.complete = new CountDownLatch(subscribers);
			for (int i = 0; i < subscribers; i++) {
				this.subscribers.add(new Subscriber(this));
			}
		}

		void error(Throwable ex) {
			this.errors.incrementAndGet();
			this.errorSample = String.valueOf(ex);
		}

		Result run(Consumer<String> publish, BenchmarkOptions options) throws InterruptedException {
			long syncDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (!this.synced.await(SYNC_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
				if (System.nanoTime() > syncDeadline) {
					throw new IllegalStateException("Not every subscriber joined the room in 30 s");
				}
				publish.accept(this.pass + " " + SYNC);
			}
			String padding = "x".repeat(Math.max(0, options.payload - 40));
			long started = System.nanoTime();
			for (int seq = 0; seq < this.messages; seq++) {
				if (!this.window.tryAcquire(30, TimeUnit.SECONDS)) {
					this.errors.incrementAndGet();
					this.errorSample = "message " + seq + " still not received by every subscriber after 30 s";
					break;
				}
				publish.accept(this.pass + " " + seq + " " + System.nanoTime() + " " + padding);
			}
			boolean done = this.complete.await(30, TimeUnit.SECONDS);
			double seconds = (Math.max(this.lastReceived.get(), started) - started) / 1e9;
			Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
			long delivered = 0;
			long mismatches = 0;
			for (Subscriber subscriber : this.subscribers) {
				synchronized (subscriber) {
					latency.add(subscriber.latency);
					delivered += subscriber.received;
					mismatches += subscriber.mismatches;
				}
			}
			long lost = (long) this.messages * this.subscribers.size() - delivered;
			if (!done && this.errors.get() == 0) {
				this.errorSample = lost + " deliveries missing after 30 s";
			}
			return new Result(this.subscribers.size(), this.messages, delivered, lost, mismatches,
					this.errors.get() + (done ? 0 : 1), this.errorSample, seconds, latency);
		}

		void delivered(int seq) {
			this.lastReceived.accumulateAndGet(System.nanoTime(), Math::max);
			if (this.pending.decrementAndGet(seq) == 0) {
				this.window.release();
			}
		}

	}

	/** One subscriber: counts, order and latency of what it receives. */
	private static final class Subscriber {

		private final Fanout fanout;

		private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);

		private boolean synced;

		private int next;

		private long received;

		private long mismatches;

		Subscriber(Fanout fanout) {
			this.fanout = fanout;
		}

		synchronized void receive(String text) {
			long now = System.nanoTime();
			String[] fields = text.split(" ", 4);
			if (!fields[0].equals(this.fanout.pass)) {
				// A straggler of an earlier pass.
				return;
			}
			if (fields[1].equals(SYNC)) {
				if (!this.synced) {
					this.synced = true;
					this.fanout.synced.countDown();
				}
				return;
			}
			int seq = Integer.parseInt(fields[1]);
			if (seq != this.next || seq >= this.fanout.messages) {
				this.mismatches++;
			}
			this.next = seq + 1;
			this.received++;
			this.latency.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(now - Long.parseLong(fields[2]))));
			if (seq < this.fanout.messages) {
				this.fanout.delivered(seq);
			}
			if (this.received == this.fanout.messages) {
				this.fanout.complete.countDown();
			}
		}

	}

	/**
	 * What one pass measured.
	 *
	 * @param subscribers subscribers in the room
	 * @param messages messages published
	 * @param delivered messages received, over every subscriber
	 * @param lost deliveries that never came
	 * @param mismatches messages received out of order or twice
	 * @param errors connection errors and timeouts
	 * @param errorSample the latest error
	 * @param seconds from the first publish to the last delivery
	 * @param latency end-to-end latency, publish to delivery, in microseconds
	 */
	record Result(int subscribers, int messages, long delivered, long lost, long mismatches, long errors,
			String errorSample, double seconds, Histogram latency) {

		/** Deliveries per second. */
		double throughput() {
			return (this.seconds > 0) ? this.delivered / this.seconds : 0;
		}

		double p50Millis() {
			return this.latency.getValueAtPercentile(50) / 1000.0;
		}

		double p99Millis() {
			return this.latency.getValueAtPercentile(99) / 1000.0;
		}

		boolean isClean() {
			return this.lost == 0 && this.mismatches == 0 && this.errors == 0;
		}

		String describe() {
			return String.format(
					"%d subscribers x %d messages: %d delivered in %.2f s, %.0f msg/s, p50 %.2f ms, "
							+ "p99 %.2f ms, lost %d, out of order %d, errors %d%s",
					this.subscribers, this.messages, this.delivered, this.seconds, throughput(), p50Millis(),
					p99Millis(), this.lost, this.mismatches, this.errors,
					this.errorSample.isEmpty() ? "" : " (" + this.errorSample + ")");
		}

	}

	/**
	 * One round of one peer.
	 *
	 * @param peer the peer
	 * @param round the round, from 1
	 * @param result what it measured
	 */
	record Row(String peer, int round, Result result) {
	}

}
