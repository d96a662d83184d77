package dev.stamp.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The load generator of the WebTransport figures ({@link WebTransportScenario}). Each
 * measurement gets a fresh client for its peer ({@link EchoClient}): Stamp's WebTransport
 * client against Stamp and Flupke, a raw QUIC client against the raw QUIC echo. Every
 * wait is bounded, so a run always ends by itself.
 */
final class WebTransportLoad {

	/** Bidirectional streams per session in the stream figures. */
	static final int STREAMS_PER_SESSION = 4;

	/** Sessions being opened at once for the memory figure. */
	static final int OPEN_CONCURRENCY = 32;

	/**
	 * The memory figure stops opening sessions after this long: half of the shortest idle
	 * timeout of a peer (Flupke's 120 s), so that the first sessions are still open when
	 * the memory is measured. Stamp and the raw echo open 5,000 in 10 to 15 s; Flupke
	 * gets to about 1,500 (see docs/benchmarks.md).
	 */
	static final Duration OPEN_DEADLINE = Duration.ofSeconds(60);

	/**
	 * Longer than any measurement, so that no idle session times out while the memory is
	 * measured.
	 */
	static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

	/** Bound of every single wait: a handshake, a stream opening, one echo. */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Size of the message of the single echo that the session and memory figures exchange
	 * per session.
	 */
	static final int MESSAGE = 64;

	/** How often datagrams in flight are checked against the loss timeout. */
	private static final long EXPIRY_PERIOD_MILLIS = 20;

	private final int clientThreads;

	private final long streamInFlight;

	/**
	 * Creates the load generator with the client settings every measurement shares.
	 * @param clientThreads event loops of each client
	 * @param streamInFlight bytes a stream of the stream figures may have sent and not
	 * back yet
	 */
	WebTransportLoad(int clientThreads, long streamInFlight) {
		this.clientThreads = clientThreads;
		this.streamInFlight = streamInFlight;
	}

	EchoClient client(Endpoint endpoint) {
		return client(endpoint, null, 1);
	}

	/**
	 * The client of a peer, binding its connections to these local addresses
	 * ({@code null}: any), this many connections on one UDP socket.
	 */
	EchoClient client(Endpoint endpoint, @Nullable SourceAddresses sources, int connectionsPerSocket) {
		if (endpoint.peer().equals(WebTransportScenario.RAW_QUIC)) {
			return new RawQuicEchoClient(endpoint.port(), endpoint.certificateSha256(), this.clientThreads,
					IDLE_TIMEOUT, TIMEOUT, sources, connectionsPerSocket);
		}
		return new StampEchoClient(endpoint.port(), endpoint.certificateSha256(), WebTransportScenario.ECHO_PATH,
				this.clientThreads, IDLE_TIMEOUT, TIMEOUT, sources, connectionsPerSocket);
	}

	/**
	 * Runs one throughput figure against one peer: a discarded warm-up, then the measured
	 * phase.
	 */
	Measurement run(WebTransportScenario scenario, Endpoint endpoint, Duration warmup, Duration measure, CpuMeter cpu)
			throws InterruptedException {
		Tally tally = new Tally();
		try (EchoClient client = client(endpoint)) {
			return switch (scenario) {
				case STREAM, STREAM16 -> streams(client, scenario.sessions(), tally, warmup, measure, cpu);
				case DATAGRAM -> datagrams(client, scenario.sessions(), tally, warmup, measure, cpu);
				case SESSIONS -> sessions(client, scenario.sessions(), tally, warmup, measure, cpu);
				case MEMORY -> throw new IllegalArgumentException("Memory is not a throughput figure");
			};
		}
	}

	/**
	 * Stream echo: {@link #STREAMS_PER_SESSION} streams on each session, each sending
	 * {@link StreamEcho#CHUNK}-byte chunks as fast as the stream takes them, with at most
	 * {@code streamInFlight} bytes not back yet. At the end every stream sends FIN and
	 * the run waits until every byte sent came back.
	 */
	private Measurement streams(EchoClient client, int sessionCount, Tally tally, Duration warmup, Duration measure,
			CpuMeter cpu) throws InterruptedException {
		List<EchoClient.Session> sessions = open(client, sessionCount, tally);
		CountDownLatch ended = new CountDownLatch(sessions.size() * STREAMS_PER_SESSION);
		List<StreamEcho> echoes = new ArrayList<>();
		for (EchoClient.Session session : sessions) {
			for (int i = 0; i < STREAMS_PER_SESSION; i++) {
				StreamEcho echo = new StreamEcho(tally, echoes.size(), this.streamInFlight, ended);
				echoes.add(echo);
				try {
					session.startStreamEcho(echo);
				}
				catch (Exception ex) {
					echo.failed("could not open the stream: " + ex);
				}
			}
		}
		Thread.sleep(warmup.toMillis());
		Tally.Phase phase = tally.startPhase(cpu);
		Thread.sleep(measure.toMillis());
		Tally.Measured measured = tally.endPhase(phase, cpu);
		StreamEcho.stop(tally, echoes);
		if (!ended.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			tally.error(ended.getCount() + " of " + echoes.size() + " streams still echoing " + TIMEOUT.toSeconds()
					+ " s after the run, "
					+ echoes.stream()
						.filter((echo) -> !echo.hasEnded())
						.limit(3)
						.map(StreamEcho::progress)
						.collect(Collectors.joining(", ")));
		}
		close(sessions);
		return tally.measurement(measured);
	}

	/**
	 * Datagram round trips: on each session a {@link DatagramWindow} keeps its datagrams
	 * in flight; a timer counts the ones that did not come back as lost and replaces
	 * them.
	 */
	private static Measurement datagrams(EchoClient client, int sessionCount, Tally tally, Duration warmup,
			Duration measure, CpuMeter cpu) throws InterruptedException {
		List<EchoClient.Session> sessions = open(client, sessionCount, tally);
		List<DatagramWindow> windows = new CopyOnWriteArrayList<>();
		ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "datagram-loss-timer");
			thread.setDaemon(true);
			return thread;
		});
		try {
			timer.scheduleAtFixedRate(() -> {
				long now = System.nanoTime();
				for (DatagramWindow window : windows) {
					window.expire(now);
				}
			}, EXPIRY_PERIOD_MILLIS, EXPIRY_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
			for (EchoClient.Session session : sessions) {
				DatagramWindow window = new DatagramWindow(tally, windows.size());
				windows.add(window);
				session.startDatagrams(window);
			}
			Thread.sleep(warmup.toMillis());
			Tally.Phase phase = tally.startPhase(cpu);
			Thread.sleep(measure.toMillis());
			Tally.Measured measured = tally.endPhase(phase, cpu);
			tally.stopping = true;
			long deadline = System.nanoTime() + 2 * DatagramWindow.LOSS_TIMEOUT_NANOS + TimeUnit.SECONDS.toNanos(1);
			while (!windows.stream().allMatch(DatagramWindow::isEmpty) && System.nanoTime() < deadline) {
				Thread.sleep(EXPIRY_PERIOD_MILLIS);
			}
			close(sessions);
			return tally.measurement(measured);
		}
		finally {
			timer.shutdownNow();
		}
	}

	/**
	 * New sessions: each worker loops over a new QUIC connection, a session on it
	 * (CONNECT answered 200; for raw QUIC the connection is the session), one checked
	 * {@value #MESSAGE}-byte echo on a new stream, and closing the connection. A session
	 * counts once closed; its handshake latency runs from starting the connection until
	 * the session is established.
	 */
	private static Measurement sessions(EchoClient client, int workers, Tally tally, Duration warmup, Duration measure,
			CpuMeter cpu) throws InterruptedException {
		List<Thread> threads = new ArrayList<>();
		for (int w = 0; w < workers; w++) {
			int worker = w;
			Thread thread = new Thread(() -> {
				for (int i = 0; !tally.stopping; i++) {
					byte[] message = Payloads.message(worker * 1_000_000 + i % 1_000_000, MESSAGE);
					long started = System.nanoTime();
					EchoClient.Session session;
					try {
						session = client.open();
					}
					catch (Exception ex) {
						tally.error("could not open a session: " + ex);
						continue;
					}
					long established = System.nanoTime();
					try {
						byte[] reply = session.echoOnce(message, TIMEOUT);
						if (Arrays.equals(reply, message)) {
							tally.recordLatency(established - started);
							tally.completed(1);
						}
						else {
							tally.mismatch("session echo not byte-identical");
						}
					}
					catch (Exception ex) {
						tally.error("session echo: " + ex);
					}
					finally {
						session.close();
					}
				}
			}, "wt-session-worker-" + w);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
		Thread.sleep(warmup.toMillis());
		Tally.Phase phase = tally.startPhase(cpu);
		Thread.sleep(measure.toMillis());
		Tally.Measured measured = tally.endPhase(phase, cpu);
		tally.stopping = true;
		for (Thread thread : threads) {
			thread.join(2 * TIMEOUT.toMillis());
			if (thread.isAlive()) {
				tally.error(thread.getName() + " still busy after the run");
			}
		}
		return tally.measurement(measured);
	}

	/**
	 * Opens sessions that exchange one checked echo each and then stay open and idle, at
	 * most {@link #OPEN_CONCURRENCY} being set up at once and none after
	 * {@link #OPEN_DEADLINE}.
	 */
	IdleSessions openIdleSessions(Endpoint endpoint, int count) throws InterruptedException {
		return openIdleSessions(endpoint, count, OPEN_DEADLINE, null, 1);
	}

	/**
	 * Like {@link #openIdleSessions(Endpoint, int)}, stopping after {@code openFor}, each
	 * connection bound to the next of these local addresses ({@code null}: any), this
	 * many connections on one UDP socket.
	 */
	IdleSessions openIdleSessions(Endpoint endpoint, int count, Duration openFor, @Nullable SourceAddresses sources,
			int connectionsPerSocket) throws InterruptedException {
		EchoClient client = client(endpoint, sources, connectionsPerSocket);
		Tally tally = new Tally();
		Queue<EchoClient.Session> sessions = new ConcurrentLinkedQueue<>();
		AtomicInteger next = new AtomicInteger();
		long deadline = System.nanoTime() + openFor.toNanos();
		ExecutorService openers = Executors.newFixedThreadPool(OPEN_CONCURRENCY);
		for (int i = 0; i < OPEN_CONCURRENCY; i++) {
			openers.execute(() -> {
				int index;
				while (System.nanoTime() < deadline && (index = next.getAndIncrement()) < count) {
					byte[] message = Payloads.message(index, MESSAGE);
					EchoClient.Session session;
					try {
						session = client.open();
					}
					catch (Exception ex) {
						tally.error("session " + index + ": could not open: " + ex);
						continue;
					}
					sessions.add(session);
					try {
						if (Arrays.equals(session.echoOnce(message, TIMEOUT), message)) {
							tally.completed(1);
						}
						else {
							tally.mismatch("session " + index + ": echo not byte-identical");
						}
					}
					catch (Exception ex) {
						tally.error("session " + index + ": echo: " + ex);
					}
				}
			});
		}
		openers.shutdown();
		if (!openers.awaitTermination(openFor.toSeconds() + 2 * TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			openers.shutdownNow();
		}
		if (next.get() < count) {
			tally.error("stopped opening after " + openFor.toSeconds() + " s, at " + next.get() + " of " + count
					+ " sessions");
		}
		return new IdleSessions(client, sessions, tally, count);
	}

	private static List<EchoClient.Session> open(EchoClient client, int count, Tally tally) {
		List<EchoClient.Session> sessions = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			try {
				sessions.add(client.open());
			}
			catch (Exception ex) {
				tally.error("could not open session " + i + ": " + ex);
			}
		}
		return sessions;
	}

	private static void close(Iterable<EchoClient.Session> sessions) {
		for (EchoClient.Session session : sessions) {
			session.close();
		}
	}

	/** A server to measure: its peer name, UDP port and pinned certificate hash. */
	record Endpoint(String peer, int port, byte[] certificateSha256) {
	}

	/** Open, idle sessions of the memory figure; closing closes them and their client. */
	static final class IdleSessions implements IdleConnections {

		private final EchoClient client;

		private final Queue<EchoClient.Session> sessions;

		private final Tally tally;

		private final int requested;

		IdleSessions(EchoClient client, Queue<EchoClient.Session> sessions, Tally tally, int requested) {
			this.client = client;
			this.sessions = sessions;
			this.tally = tally;
			this.requested = requested;
		}

		@Override
		public int requested() {
			return this.requested;
		}

		/** Sessions whose echo came back correct, as far as still open. */
		@Override
		public int verified() {
			long open = this.sessions.stream().filter(EchoClient.Session::isOpen).count();
			return (int) Math.min(this.tally.completed(), open);
		}

		@Override
		public long mismatches() {
			return this.tally.mismatches.get();
		}

		@Override
		public long errors() {
			return this.tally.errors.get();
		}

		@Override
		public List<String> errorSamples() {
			return List.copyOf(this.tally.errorSamples);
		}

		@Override
		public void close() {
			WebTransportLoad.close(this.sessions);
			this.client.close();
		}

	}

}
