package dev.stamp.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a benchmark run is shaped. {@link #full()} is the documented run, {@link #smoke()} the few-second run that CI
 * executes so that the harness cannot rot.
 */
final class BenchmarkOptions {

	static final List<String> SCENARIOS = List.of("http", "tcp", "ws", "memory");

	boolean smoke;

	/** Adds diagnostic peers that explain a difference rather than compete (see {@link BenchmarkMain#peers}). */
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

	long maxRequestsPerConnection = 50_000_000L;

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
		options.clientThreads = 1;
		options.maxRequestsPerConnection = 200_000;
		// Small heap for a quick start; paranoid leak detection so that a leaked buffer shows in the report.
		options.serverJvmArgs = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
				"-Dio.netty.leakDetection.level=paranoid"));
		options.output = Path.of("target", "benchmark-smoke.md");
		return options;
	}

	static BenchmarkOptions parse(String[] args) {
		boolean smoke = Arrays.asList(args).contains("--smoke");
		BenchmarkOptions options = smoke ? smoke() : full();
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
				case "rounds" -> options.rounds = Integer.parseInt(value);
				case "warmup" -> options.warmup = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
				case "prewarm" -> options.prewarm = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
				case "duration" -> options.measure = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
				case "connections" -> options.connections = Integer.parseInt(value);
				case "payload" -> options.payload = Integer.parseInt(value);
				case "idle-connections" -> options.idleConnections = Integer.parseInt(value);
				case "client-threads" -> options.clientThreads = Integer.parseInt(value);
				case "max-requests-per-connection" -> options.maxRequestsPerConnection = Long.parseLong(value);
				case "server-jvm-args" -> options.serverJvmArgs = new ArrayList<>(
						value.isBlank() ? List.of() : List.of(value.trim().split("\\s+")));
				case "scenarios" -> {
					options.scenarios = new LinkedHashSet<>(List.of(value.split(",")));
					if (!SCENARIOS.containsAll(options.scenarios)) {
						throw new IllegalArgumentException("Scenarios are " + SCENARIOS);
					}
				}
				case "peers" -> options.peers = new LinkedHashSet<>(List.of(value.split(",")));
				case "out" -> options.output = Path.of(value);
				case "logs" -> options.logDirectory = Path.of(value);
				default -> throw new IllegalArgumentException("Unknown option --" + name + "\n" + usage());
			}
		}
		return options;
	}

	static String usage() {
		return """
				java -jar stamp-benchmarks/target/stamp-benchmarks.jar [--smoke] [--diagnostics] [--option=value ...]
				  --diagnostics              also measure raw HttpServer with Stamp's Reactor Netty timeouts and
				                             the TCP echo on Reactor Netty's TcpServer
				  --rounds=5                 interleaved rounds; the report gives the median
				  --prewarm=15               seconds per peer of one unrecorded pass before round 1
				  --warmup=2 --duration=5    seconds per peer per round, discarded and measured
				  --connections=64           concurrent keep-alive connections (HTTP, TCP, WebSocket)
				  --payload=64               TCP and WebSocket message size in bytes
				  --idle-connections=10000   idle WebSocket connections for the memory scenario
				  --client-threads=2         load generator event loops
				  --server-jvm-args="-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
				  --scenarios=http,tcp,ws,memory
				  --peers=raw,stamp-reactive  only these throughput peers (for focused comparisons)
				  --out=target/benchmark-results.md  --logs=target/benchmark-logs""";
	}

	String describe() {
		return (this.smoke ? "smoke, " : "") + (this.prewarm.isZero() ? "" : seconds(this.prewarm)
				+ " s unrecorded pre-warm per peer, ") + this.rounds + " round(s), " + seconds(this.warmup) + " s warm-up + "
				+ seconds(this.measure) + " s measured per peer per round, " + this.connections + " connections, "
				+ this.payload + "-byte TCP/WebSocket messages, " + this.clientThreads
				+ " load-generator event loop(s), server JVM " + String.join(" ", this.serverJvmArgs);
	}

	private static String seconds(Duration duration) {
		double seconds = duration.toMillis() / 1000.0;
		return (seconds == Math.rint(seconds)) ? Long.toString((long) seconds) : Double.toString(seconds);
	}

}
