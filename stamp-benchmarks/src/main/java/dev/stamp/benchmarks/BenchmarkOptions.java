package dev.stamp.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How a benchmark run is shaped. {@link #full()} is the documented run, {@link #smoke()}
 * the few-second run that CI executes so that the harness cannot rot.
 */
final class BenchmarkOptions {

	/**
	 * HTTP, TCP and WebSocket: throughput scenarios, then the WebSocket memory scenario.
	 */
	static final List<String> CLASSIC_SCENARIOS = List.of("http", "tcp", "ws", "memory");

	/** Every scenario, in the order a run measures them. */
	static final List<String> SCENARIOS = Stream.concat(CLASSIC_SCENARIOS.stream(), WebTransportScenario.ids().stream())
		.toList();

	/** 100,000 idle WebSocket connections on one node (issue #11). */
	static final String SCALE_WS = "scale-ws";

	/** 50,000 idle WebTransport sessions on one node. */
	static final String SCALE_WT = "scale-wt";

	/** Mixed load of every protocol for minutes, heap sampled after GC. */
	static final String SOAK = "soak";

	/**
	 * Scenarios that run only when named: the scale and soak ones take minutes and the
	 * machine's memory and file descriptors, which is not what a comparison run is for;
	 * the fan-out figure starts Redis and a cluster of two nodes.
	 */
	static final List<String> OPT_IN_SCENARIOS = List.of(SCALE_WS, SCALE_WT, SOAK, FanoutBenchmark.SCENARIO);

	/** Every scenario that {@code --scenarios} accepts, in run order. */
	static final List<String> ALL_SCENARIOS = Stream.concat(SCENARIOS.stream(), OPT_IN_SCENARIOS.stream()).toList();

	/** Stands for every WebTransport scenario in {@code --scenarios}. */
	static final String WEBTRANSPORT_ALIAS = "wt";

	boolean smoke;

	/**
	 * Adds diagnostic peers that explain a difference rather than compete (see
	 * {@link BenchmarkMain#peers}).
	 */
	boolean diagnostics;

	int rounds = 5;

	Duration warmup = Duration.ofSeconds(2);

	Duration measure = Duration.ofSeconds(5);

	/** Unrecorded pass over every peer before round 1; zero skips it. */
	Duration prewarm = Duration.ofSeconds(15);

	int connections = 64;

	int payload = 64;

	int idleConnections = 10_000;

	int clientThreads = 2;

	/**
	 * Rounds of the WebTransport figures: fewer than the others, so that they add about 6
	 * minutes to a run.
	 */
	int wtRounds = 3;

	/** Unrecorded pass per WebTransport peer before round 1. */
	Duration wtPrewarm = Duration.ofSeconds(3);

	/**
	 * Idle sessions of the WebTransport memory figure, each on its own QUIC connection.
	 */
	int wtIdleSessions = 5_000;

	/**
	 * Bytes a stream of the WebTransport stream figures may have sent and not back yet:
	 * the QUIC stream window, so that it never holds a stream back more than QUIC would;
	 * it bounds the client's memory and the drain at the end.
	 */
	long wtStreamInFlight = 1024 * 1024;

	long maxRequestsPerConnection = 50_000_000L;

	/** Idle WebSocket connections of {@value #SCALE_WS}. */
	int scaleWsConnections = 100_000;

	/** Idle WebTransport sessions of {@value #SCALE_WT}, one QUIC connection each. */
	int scaleWtSessions = 50_000;

	/**
	 * QUIC connections of {@value #SCALE_WT} that share one client UDP socket: the load
	 * generator then needs a descriptor per socket, not per session, and stays within an
	 * open-file limit it cannot raise. The server has one socket in any case.
	 */
	int scaleWtConnectionsPerSocket = 1_000;

	/**
	 * Client sockets per source address in the scale scenarios (the smoke test lowers it
	 * to spread a few hundred over several addresses).
	 */
	int socketsPerAddress = SourceAddresses.PER_ADDRESS;

	/** How long {@value #SOAK} runs. */
	Duration soakDuration = Duration.ofMinutes(10);

	/**
	 * Whether {@code --server-jvm-args} was given: then the scale scenarios use it too.
	 */
	boolean serverJvmArgsGiven;

	/** Subscribers of the fan-out figure, spread over the nodes. */
	int fanoutSubscribers = 200;

	/** Messages the fan-out figure's publisher sends per round. */
	int fanoutMessages = 2_000;

	/** Rounds of the fan-out figure, each peer once per round. */
	int fanoutRounds = 3;

	/**
	 * Messages of the fan-out figure sent and not yet received by every subscriber, at
	 * most.
	 */
	int fanoutWindow = 64;

	/** {@code stamp.cluster.publish-batch-size} of the fan-out figure's nodes. */
	int fanoutBatchSize = 256;

	List<String> serverJvmArgs = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));

	Set<String> scenarios = new LinkedHashSet<>(SCENARIOS);

	/** Throughput peers to run; empty means all. */
	Set<String> peers = new LinkedHashSet<>();

	Path output = Path.of("target", "benchmark-results.md");

	Path logDirectory = Path.of("target", "benchmark-logs");

	static BenchmarkOptions full() {
		return new BenchmarkOptions();
	}

	static BenchmarkOptions smoke() {
		BenchmarkOptions options = new BenchmarkOptions();
		options.smoke = true;
		options.rounds = 1;
		options.warmup = Duration.ofMillis(300);
		options.measure = Duration.ofMillis(700);
		options.prewarm = Duration.ZERO;
		options.connections = 4;
		options.idleConnections = 100;
		options.wtRounds = 1;
		options.wtPrewarm = Duration.ZERO;
		options.wtIdleSessions = 20;
		// One chunk per stream: the smoke run checks the path, and draining 64 full
		// streams would take seconds.
		options.wtStreamInFlight = 64 * 1024;
		options.clientThreads = 1;
		options.maxRequestsPerConnection = 200_000;
		options.fanoutSubscribers = 6;
		options.fanoutMessages = 50;
		options.fanoutRounds = 1;
		// Small heap for a quick start; paranoid leak detection so that a leaked buffer
		// shows in the report.
		options.serverJvmArgs = new ArrayList<>(
				List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dio.netty.leakDetection.level=paranoid"));
		options.output = Path.of("target", "benchmark-smoke.md");
		return options;
	}

	static BenchmarkOptions parse(String[] args) {
		boolean smoke = Arrays.asList(args).contains("--smoke");
		BenchmarkOptions options = smoke ? smoke() : full();
		// --rounds and --prewarm apply to the WebTransport figures too, unless
		// --wt-rounds or --wt-prewarm say otherwise.
		Integer wtRounds = null;
		Duration wtPrewarm = null;
		for (String arg : args) {
			if (arg.equals("--smoke")) {
				continue;
			}
			if (arg.equals("--diagnostics")) {
				options.diagnostics = true;
				continue;
			}
			if (arg.equals("--help") || arg.equals("-h")) {
				System.out.println(usage());
				System.exit(0);
			}
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Unknown argument " + arg + "\n" + usage());
			}
			String name = arg.substring(2, equals);
			String value = arg.substring(equals + 1);
			switch (name) {
				case "rounds" -> {
					options.rounds = Integer.parseInt(value);
					options.wtRounds = options.rounds;
				}
				case "wt-rounds" -> wtRounds = Integer.parseInt(value);
				case "warmup" -> options.warmup = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
				case "prewarm" -> {
					options.prewarm = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
					options.wtPrewarm = options.prewarm;
				}
				case "wt-prewarm" -> wtPrewarm = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
				case "duration" -> options.measure = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
				case "connections" -> options.connections = Integer.parseInt(value);
				case "payload" -> options.payload = Integer.parseInt(value);
				case "idle-connections" -> options.idleConnections = Integer.parseInt(value);
				case "wt-idle-sessions" -> options.wtIdleSessions = Integer.parseInt(value);
				case "client-threads" -> options.clientThreads = Integer.parseInt(value);
				case "fanout-subscribers" -> options.fanoutSubscribers = Integer.parseInt(value);
				case "fanout-messages" -> options.fanoutMessages = Integer.parseInt(value);
				case "fanout-rounds" -> options.fanoutRounds = Integer.parseInt(value);
				case "fanout-batch-size" -> options.fanoutBatchSize = Integer.parseInt(value);
				case "fanout-window" -> options.fanoutWindow = Integer.parseInt(value);
				case "max-requests-per-connection" -> options.maxRequestsPerConnection = Long.parseLong(value);
				case "server-jvm-args" -> {
					options.serverJvmArgs = new ArrayList<>(
							value.isBlank() ? List.of() : List.of(value.trim().split("\\s+")));
					options.serverJvmArgsGiven = true;
				}
				case "scale-ws-connections" -> options.scaleWsConnections = Integer.parseInt(value);
				case "scale-wt-sessions" -> options.scaleWtSessions = Integer.parseInt(value);
				case "scale-wt-connections-per-socket" ->
					options.scaleWtConnectionsPerSocket = Math.max(1, Integer.parseInt(value));
				case "soak-duration" -> options.soakDuration = duration(value);
				case "scenarios" -> options.scenarios = scenarios(value);
				case "peers" -> options.peers = new LinkedHashSet<>(List.of(value.split(",")));
				case "out" -> options.output = Path.of(value);
				case "logs" -> options.logDirectory = Path.of(value);
				default -> throw new IllegalArgumentException("Unknown option --" + name + "\n" + usage());
			}
		}
		if (wtRounds != null) {
			options.wtRounds = wtRounds;
		}
		if (wtPrewarm != null) {
			options.wtPrewarm = wtPrewarm;
		}
		return options;
	}

	/**
	 * The scenarios named, in run order; {@value #WEBTRANSPORT_ALIAS} stands for every
	 * WebTransport one.
	 */
	private static Set<String> scenarios(String list) {
		Set<String> named = new LinkedHashSet<>();
		for (String name : list.split(",")) {
			if (name.equals(WEBTRANSPORT_ALIAS)) {
				named.addAll(WebTransportScenario.ids());
			}
			else if (ALL_SCENARIOS.contains(name)) {
				named.add(name);
			}
			else {
				throw new IllegalArgumentException(
						"Scenarios are " + ALL_SCENARIOS + " and " + WEBTRANSPORT_ALIAS + " for all WebTransport ones");
			}
		}
		Set<String> ordered = new LinkedHashSet<>(ALL_SCENARIOS);
		ordered.retainAll(named);
		return ordered;
	}

	/**
	 * A duration as {@code 10m}, {@code 90s}, {@code 1h} or plain seconds.
	 */
	static Duration duration(String value) {
		String text = value.trim().toLowerCase(Locale.ROOT);
		if (text.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
		}
		char unit = text.charAt(text.length() - 1);
		if (Character.isDigit(unit)) {
			return Duration.ofMillis((long) (Double.parseDouble(text) * 1000));
		}
		long amount = Long.parseLong(text.substring(0, text.length() - 1));
		return switch (unit) {
			case 's' -> Duration.ofSeconds(amount);
			case 'm' -> Duration.ofMinutes(amount);
			case 'h' -> Duration.ofHours(amount);
			default -> throw new IllegalArgumentException("Not a duration: " + value);
		};
	}

	/**
	 * Whether any scenario with WebTransport traffic is selected (the scale and soak ones
	 * included).
	 */
	boolean webTransport() {
		return this.scenarios.stream()
			.anyMatch((scenario) -> WebTransportScenario.isWebTransport(scenario) || scenario.equals(SCALE_WT)
					|| scenario.equals(SOAK));
	}

	/** Whether any HTTP, TCP or WebSocket scenario is selected. */
	boolean classic() {
		return this.scenarios.stream().anyMatch(CLASSIC_SCENARIOS::contains);
	}

	static String usage() {
		return """
				java -jar stamp-benchmarks/target/stamp-benchmarks.jar [--smoke] [--diagnostics] [--option=value ...]
				  --diagnostics              also measure raw HttpServer with Stamp's Reactor Netty timeouts and
				                             the TCP echo on Reactor Netty's TcpServer
				  --rounds=5                 interleaved rounds; the report gives the median
				  --prewarm=15               seconds per peer of one unrecorded pass before round 1
				  --wt-rounds=3 --wt-prewarm=3  the same for the WebTransport figures (given --rounds or --prewarm
				                             but not these, the WebTransport figures follow them)
				  --warmup=2 --duration=5    seconds per peer per round, discarded and measured
				  --connections=64           concurrent keep-alive connections (HTTP, TCP, WebSocket)
				  --payload=64               TCP and WebSocket message size in bytes
				  --idle-connections=10000   idle WebSocket connections for the memory scenario
				  --wt-idle-sessions=5000    idle WebTransport sessions (one QUIC connection each) for wt-memory
				  --client-threads=2         load generator event loops
				  --server-jvm-args="-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
				  --scenarios=http,tcp,ws,memory,wt-stream,wt-stream16,wt-datagram,wt-sessions,wt-memory
				                             (all by default; "wt" stands for every wt-* scenario)
				                             opt-in, never by default: scale-ws, scale-wt, soak, fanout (redis-server,
				                             two clustered Stamp nodes, Lettuce)
				  --scale-ws-connections=100000  idle WebSocket connections of scale-ws
				  --scale-wt-sessions=50000  idle WebTransport sessions of scale-wt
				  --scale-wt-connections-per-socket=1000  client QUIC connections per UDP socket in scale-wt
				  --soak-duration=10m        length of the soak (s, m or h)
				  --fanout-subscribers=200 --fanout-messages=2000 --fanout-rounds=3 --fanout-window=64
				  --fanout-batch-size=256    the nodes' stamp.cluster.publish-batch-size (1: one by one)
				  --peers=raw,stamp-reactive  only these peers (for focused comparisons): raw, webflux, tomcat-mvc,
				                             tomcat-mvc-virtual, tomcat-websocket, java-socket, java-socket-virtual
				                             (the -virtual ones on Java 21+), stamp-blocking, stamp-reactive;
				                             WebTransport peers are raw-quic, stamp, flupke
				  --out=target/benchmark-results.md  --logs=target/benchmark-logs
				                             (a PNG chart of each scenario's ratios goes next to the report)""";
	}

	String describe() {
		StringBuilder text = new StringBuilder(this.smoke ? "smoke, " : "");
		if (this.classic()) {
			text.append("HTTP/TCP/WebSocket: ")
				.append(this.prewarm.isZero() ? "" : seconds(this.prewarm) + " s unrecorded pre-warm per peer, ")
				.append(this.rounds)
				.append(" round(s), ")
				.append(this.connections)
				.append(" connections, ")
				.append(this.payload)
				.append("-byte TCP/WebSocket messages; ");
		}
		if (this.scenarios.contains(SCALE_WS)) {
			text.append(String.format("scale-ws: %,d connections; ", this.scaleWsConnections));
		}
		if (this.scenarios.contains(SCALE_WT)) {
			text.append(String.format("scale-wt: %,d sessions, %,d per client UDP socket; ", this.scaleWtSessions,
					this.scaleWtConnectionsPerSocket));
		}
		if (this.scenarios.contains(SOAK)) {
			text.append("soak: ").append(seconds(this.soakDuration)).append(" s; ");
		}
		if (this.scenarios.stream().anyMatch(WebTransportScenario::isWebTransport)) {
			text.append("WebTransport: ")
				.append(this.wtPrewarm.isZero() ? "" : seconds(this.wtPrewarm) + " s unrecorded pre-warm per peer, ")
				.append(this.wtRounds)
				.append(" round(s), ")
				.append(this.wtIdleSessions)
				.append(" idle sessions; ");
		}
		if (this.scenarios.contains(FanoutBenchmark.SCENARIO)) {
			text.append("fan-out: ")
				.append(this.fanoutRounds)
				.append(" round(s), ")
				.append(this.fanoutSubscribers)
				.append(" subscribers x ")
				.append(this.fanoutMessages)
				.append(" messages, window ")
				.append(this.fanoutWindow)
				.append(", publish-batch-size ")
				.append(this.fanoutBatchSize)
				.append("; ");
		}
		if (classic() || webTransport()) {
			text.append(seconds(this.warmup))
				.append(" s warm-up + ")
				.append(seconds(this.measure))
				.append(" s measured per peer per round, ")
				.append(this.clientThreads)
				.append(" load-generator event loop(s), ");
		}
		return text.append("server JVM ").append(String.join(" ", this.serverJvmArgs)).toString();
	}

	private static String seconds(Duration duration) {
		double seconds = duration.toMillis() / 1000.0;
		return (seconds == Math.rint(seconds)) ? Long.toString((long) seconds) : Double.toString(seconds);
	}

}
