package dev.stamp.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak: one Stamp server process with all four protocols under mixed load for
 * {@code --soak-duration} (10 minutes by default), its heap after a forced GC sampled
 * every 30 s. Each kind of traffic runs in rounds of {@link #round} on connections (and
 * sessions) opened for the round and closed after it, so that connections come and go all
 * the time:
 * <ul>
 * <li>HTTP {@code GET /hello}, TCP echo and WebSocket echo ({@link LoadGenerator}, a few
 * connections each, paced: a steady load, not as much as the server takes);</li>
 * <li>a chat room with a few members ({@link RoomLoad});</li>
 * <li>WebTransport stream echo and datagram echo, in turns
 * ({@link WebTransportLoad});</li>
 * <li>one of each misbehaving client per round ({@link Misbehavers}).</li>
 * </ul>
 * Every echoed byte is checked. The verdict is {@link SoakResult#passed()}.
 */
final class Soak {

	/** Connections of each HTTP, TCP and WebSocket round. */
	static final int CONNECTIONS = 4;

	/** Members of each chat room. */
	static final int ROOM_MEMBERS = 4;

	/**
	 * Wait between a response and a connection's next request: about 2,000 requests a
	 * second per protocol, steady, on a machine that the soak does not saturate.
	 */
	static final Duration PAUSE = Duration.ofMillis(2);

	private final BenchmarkOptions options;

	private final Duration duration;

	private final Duration round;

	private final Duration sampleEvery;

	private volatile boolean stopping;

	Soak(BenchmarkOptions options) {
		this.options = options;
		this.duration = options.soakDuration;
		// Short soaks (the smoke test's seconds) still get a few rounds and samples.
		this.round = min(Duration.ofSeconds(10), this.duration.dividedBy(4));
		this.sampleEvery = min(Duration.ofSeconds(30), this.duration.dividedBy(6));
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	SoakResult run() throws Exception {
		List<String> jvmArgs = new ArrayList<>(this.options.serverJvmArgs);
		if (jvmArgs.stream().noneMatch((arg) -> arg.startsWith("-Dio.netty.leakDetection.level"))) {
			// Sampled leak detection with the access records: a leak in minutes of
			// traffic shows, at little cost.
			jvmArgs.add("-Dio.netty.leakDetection.level=advanced");
		}
		BenchmarkMain.log("Soak: " + this.duration.toSeconds() + " s, rounds of " + this.round.toMillis()
				+ " ms, heap sampled every " + this.sampleEvery.toMillis() + " ms, server JVM "
				+ String.join(" ", jvmArgs));
		Map<String, Tally> tallies = new LinkedHashMap<>();
		for (String traffic : SoakResult.TRAFFIC) {
			tallies.put(traffic, new Tally());
		}
		List<SoakResult.Sample> samples = new ArrayList<>();
		SoakResult.Sample after;
		long started;
		List<String> outcomes;
		int serverLeaks;
		String serverJava;
		try (ServerProcess server = ServerProcess.start(ServerMain.SOAK_MODE, jvmArgs, this.options.logDirectory);
				LoadGenerator load = new LoadGenerator(this.options.clientThreads);
				RoomLoad rooms = new RoomLoad(1);
				Misbehavers misbehavers = new Misbehavers(server, tallies.get(SoakResult.MISBEHAVING))) {
			CpuMeter cpu = new CpuMeter(server.pid());
			WebTransportLoad webTransport = new WebTransportLoad(1, 64 * 1024);
			WebTransportLoad.Endpoint endpoint = new WebTransportLoad.Endpoint(WebTransportScenario.STAMP,
					server.port("wt/stamp"), server.certificateSha256("wt/stamp"));

			List<Thread> workers = new ArrayList<>();
			for (LoadGenerator.Kind kind : LoadGenerator.Kind.values()) {
				String traffic = SoakResult.traffic(kind);
				int port = server.port(traffic + "/stamp");
				workers.add(worker(traffic, tallies, (i, total) -> SoakResult.add(total, load.run(kind, port,
						CONNECTIONS, this.options.payload, Duration.ZERO, this.round, Long.MAX_VALUE, PAUSE, cpu))));
			}
			workers.add(worker(SoakResult.ROOM, tallies, (i, total) -> rooms.run(server.port("ws/stamp"), "soak-" + i,
					ROOM_MEMBERS, this.round, PAUSE, total)));
			workers.add(worker(SoakResult.WT_STREAM, tallies, (i, total) -> {
				// Streams and datagrams in turns, each on sessions of its own. They run
				// at full speed, unlike the rest, so a turn is a quarter of a round.
				boolean streams = i % 2 == 0;
				SoakResult.add(streams ? total : tallies.get(SoakResult.WT_DATAGRAM),
						webTransport.run(streams ? WebTransportScenario.STREAM : WebTransportScenario.DATAGRAM,
								endpoint, Duration.ZERO, this.round.dividedBy(4), cpu));
			}));
			Thread misbehaving = new Thread(() -> {
				for (int i = 0; !this.stopping; i++) {
					misbehavers.round(i);
				}
			}, "soak-misbehaving");
			misbehaving.setDaemon(true);
			workers.add(misbehaving);
			for (Thread worker : workers) {
				worker.start();
			}
			started = System.nanoTime();
			long end = started + this.duration.toNanos();
			// The first sample after a period of load, so that all of them are under
			// load.
			long nextSample = started + this.sampleEvery.toNanos();
			while (System.nanoTime() < end) {
				if (System.nanoTime() >= nextSample) {
					samples.add(sample(server, started));
					nextSample += this.sampleEvery.toNanos();
				}
				Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(nextSample - System.nanoTime()),
						TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
			}
			samples.add(sample(server, started));
			this.stopping = true;
			for (Thread worker : workers) {
				worker.join(this.round.toMillis() + 3 * Misbehavers.PATIENCE.toMillis() + 30_000);
				if (worker.isAlive()) {
					tallies.get(SoakResult.MISBEHAVING).error(worker.getName() + " still busy after the soak");
				}
			}
			after = settled(server, started);
			outcomes = misbehavers.outcomes();
			serverLeaks = server.leakReports();
			serverJava = server.javaVersion();
		}
		return new SoakResult(this.duration, this.round, tallies, outcomes, samples, after, serverLeaks, serverJava);
	}

	/** A worker thread: rounds of one kind of traffic until the soak stops. */
	private Thread worker(String traffic, Map<String, Tally> tallies, RoundRunner runner) {
		Tally total = tallies.get(traffic);
		Thread thread = new Thread(() -> {
			for (int i = 0; !this.stopping; i++) {
				try {
					runner.run(i, total);
				}
				catch (Exception ex) {
					total.error(traffic + " round " + i + ": " + ex);
				}
			}
		}, "soak-" + traffic);
		thread.setDaemon(true);
		return thread;
	}

	private static SoakResult.Sample sample(ServerProcess server, long started) throws InterruptedException {
		ServerProcess.Memory memory = server.memory();
		SoakResult.Sample sample = new SoakResult.Sample((System.nanoTime() - started) / 1e9, memory.heap(),
				memory.rss(), memory.sessions());
		BenchmarkMain
			.log(String.format("soak t=%.0f s: heap after GC %s, RSS %s, WebSocket clients %d", sample.seconds(),
					BenchmarkReport.mib(sample.heap()), BenchmarkReport.mib(sample.rss()), sample.sessions()));
		return sample;
	}

	/**
	 * The server after every client left: sampled until it counts no WebSocket client
	 * (closing is asynchronous), at most 10 s.
	 */
	private static SoakResult.Sample settled(ServerProcess server, long started) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		SoakResult.Sample sample = sample(server, started);
		while (sample.sessions() != 0 && System.nanoTime() < deadline) {
			Thread.sleep(200);
			sample = sample(server, started);
		}
		return sample;
	}

	/** One round of one kind of traffic. */
	@FunctionalInterface
	private interface RoundRunner {

		void run(int round, Tally total) throws Exception;

	}

}
