package dev.stamp.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.springframework.boot.SpringBootVersion;

/**
 * Runs Stamp and its peers side by side on 127.0.0.1 with the same load generator and reports throughput, p50/p99
 * latency and the ratio Stamp/peer as a Markdown table.
 * <p>
 * The servers run in a forked JVM ({@link ServerMain}); this JVM is the load generator. Throughput peers share one
 * server process and are measured one at a time, in interleaved rounds whose order alternates; the report gives the
 * median of the rounds. The memory scenario starts a fresh server process per peer.
 */
public final class BenchmarkMain {

	static final List<String> HTTP_PEERS = List.of("raw", "webflux", "stamp-blocking", "stamp-reactive");

	/** Diagnostic HTTP peer: raw Reactor Netty with the idle and read timeouts Stamp's HTTP listener sets. */
	static final String RAW_WITH_TIMEOUTS = "raw-timeouts";

	/** Diagnostic TCP peer: the echo on Reactor Netty's TcpServer, which Stamp's TCP listener is built on. */
	static final String REACTOR_NETTY_TCP = "reactor-netty";

	static final List<String> ECHO_PEERS = List.of("raw", "stamp-blocking", "stamp-reactive");

	static final List<String> MEMORY_PEERS = List.of("raw", "stamp");

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		BenchmarkOptions options = BenchmarkOptions.parse(args);
		BenchmarkReport report = run(options);
		System.out.println(report.markdown());
		System.out.println("Written to " + options.output.toAbsolutePath());
		System.exit(report.isClean() ? 0 : 1);
	}

	static BenchmarkReport run(BenchmarkOptions options) throws Exception {
		Instant started = Instant.now();
		log("Stamp benchmarks: " + options.describe());
		BenchmarkReport report = new BenchmarkReport(options, started);
		try (LoadGenerator load = new LoadGenerator(options.clientThreads)) {
			List<String> throughputScenarios = new ArrayList<>(options.scenarios);
			throughputScenarios.remove("memory");
			if (!throughputScenarios.isEmpty()) {
				throughput(options, load, throughputScenarios, report);
			}
			if (options.scenarios.contains("memory")) {
				memory(options, load, report);
			}
		}
		report.finished(Instant.now());
		String markdown = report.markdown();
		if (options.output.getParent() != null) {
			Files.createDirectories(options.output.getParent());
		}
		Files.writeString(options.output, markdown, StandardCharsets.UTF_8);
		return report;
	}

	private static void throughput(BenchmarkOptions options, LoadGenerator load, List<String> scenarios,
			BenchmarkReport report) throws Exception {
		try (ServerProcess server = ServerProcess.start("throughput", options.serverJvmArgs, options.logDirectory)) {
			report.serverJava = server.javaVersion();
			CpuMeter cpu = new CpuMeter(server.pid());
			if (!options.prewarm.isZero()) {
				// One unrecorded pass over every peer first, so that no peer of round 1 meets a cold JIT.
				for (String scenario : scenarios) {
					for (String peer : peers(options, scenario)) {
						LoadGenerator.Result result = load.run(kind(scenario), server.port(scenario + "/" + peer),
								options.connections, options.payload, Duration.ZERO, options.prewarm,
								options.maxRequestsPerConnection, cpu);
						log(String.format("pre-warm %-5s %-15s %,12.0f req/s (not recorded)", scenario, peer,
								result.throughput()));
					}
				}
			}
			for (int round = 0; round < options.rounds; round++) {
				for (String scenario : scenarios) {
					List<String> peers = new ArrayList<>(peers(options, scenario));
					if (round % 2 == 1) {
						Collections.reverse(peers);
					}
					for (String peer : peers) {
						LoadGenerator.Result result = load.run(kind(scenario), server.port(scenario + "/" + peer),
								options.connections, options.payload, options.warmup, options.measure,
								options.maxRequestsPerConnection, cpu);
						report.add(scenario, peer, result);
						log(String.format("round %d %-5s %-15s %,10.0f req/s  p50 %7.0f us  p99 %7.0f us  "
								+ "server %5.1f us CPU/req, cores: server %.2f client %.2f softirq %.2f other %.2f%s",
								round + 1, scenario, peer, result.throughput(), result.p50Micros(),
								result.p99Micros(), result.serverCpuMicrosPerRequest(), result.cpu().serverCores(),
								result.cpu().clientCores(), result.cpu().interruptCores(), result.cpu().otherCores(),
								(result.errors() + result.mismatches() > 0)
										? "  errors " + result.errors() + " " + result.errorSamples() : ""));
					}
				}
			}
			report.leakReports += server.leakReports();
		}
	}

	/** The peers of a scenario, in report order. */
	static List<String> peers(BenchmarkOptions options, String scenario) {
		List<String> peers = new ArrayList<>(scenario.equals("http") ? HTTP_PEERS : ECHO_PEERS);
		if (scenario.equals("http") && options.diagnostics) {
			peers.add(1, RAW_WITH_TIMEOUTS);
		}
		if (scenario.equals("tcp") && options.diagnostics) {
			peers.add(1, REACTOR_NETTY_TCP);
		}
		if (!options.peers.isEmpty()) {
			peers.retainAll(options.peers);
		}
		return peers;
	}

	private static LoadGenerator.Kind kind(String scenario) {
		return switch (scenario) {
			case "http" -> LoadGenerator.Kind.HTTP;
			case "tcp" -> LoadGenerator.Kind.TCP;
			default -> LoadGenerator.Kind.WEBSOCKET;
		};
	}

	private static void memory(BenchmarkOptions options, LoadGenerator load, BenchmarkReport report)
			throws Exception {
		int count = options.idleConnections;
		for (String peer : MEMORY_PEERS) {
			try (ServerProcess server = ServerProcess.start("memory-" + peer, options.serverJvmArgs,
					options.logDirectory)) {
				int port = server.port("ws/" + peer);
				// Warm up: load classes and JIT the connection path so that the baseline already includes them.
				try (LoadGenerator.IdleWebSockets warmup = load.openIdleWebSockets(port, Math.max(10, count / 10),
						options.payload)) {
					Thread.sleep(200);
				}
				Thread.sleep(500);
				ServerProcess.Memory before = server.memory();
				try (LoadGenerator.IdleWebSockets idle = load.openIdleWebSockets(port, count, options.payload)) {
					Thread.sleep(options.smoke ? 200 : 1000);
					ServerProcess.Memory after = server.memory();
					BenchmarkReport.MemoryRow row = new BenchmarkReport.MemoryRow(peer, count, idle.verified(),
							after.sessions(), before.heap(), after.heap(), before.rss(), after.rss(), idle.mismatches(),
							idle.errors(), idle.errorSamples());
					report.memory.add(row);
					log(String.format("memory %-6s %d connections (%d echoed, server sees %d): heap %+.0f B/conn, "
							+ "RSS %+.0f B/conn%s", peer, count, row.verified(), row.serverSessions(),
							row.heapPerConnection(), row.rssPerConnection(),
							row.errors() > 0 ? "  errors " + row.errors() + " " + row.errorSamples() : ""));
				}
				report.leakReports += server.leakReports();
			}
		}
	}

	static void log(String message) {
		System.out.println("[" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
		System.out.flush();
	}

	/** Median of the rounds' values. */
	static double median(List<LoadGenerator.Result> results, ToDoubleFunction<LoadGenerator.Result> value) {
		double[] values = results.stream().mapToDouble(value).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	static String machine() {
		Map<String, String> facts = new LinkedHashMap<>();
		facts.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
		facts.put("CPU", cpuModel());
		facts.put("memory", memTotal());
		facts.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		facts.put("JDK", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
				+ System.getProperty("java.runtime.version"));
		facts.put("Spring Boot", SpringBootVersion.getVersion());
		facts.put("Netty", io.netty.util.Version.identify().getOrDefault("netty-common",
				io.netty.util.Version.identify().values().iterator().next()).artifactVersion());
		facts.put("transport", Transports.name());
		StringBuilder text = new StringBuilder();
		facts.forEach((key, value) -> text.append("- ").append(key).append(": ").append(value).append('\n'));
		return text.toString();
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("?");
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String memTotal() {
		try {
			return Files.readAllLines(Path.of("/proc/meminfo"))
				.stream()
				.filter((line) -> line.startsWith("MemTotal"))
				.map((line) -> String.format("%.1f GiB",
						Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0))
				.findFirst()
				.orElse("?");
		}
		catch (IOException | RuntimeException ex) {
			return "?";
		}
	}

	static String seconds(Duration duration) {
		return String.format("%.0f s", duration.toMillis() / 1000.0);
	}

}
