package dev.stamp.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.springframework.boot.SpringBootVersion;

/**
 * Runs Stamp and its peers side by side on 127.0.0.1 with the same load generator and
 * reports throughput, p50/p99 latency and the ratio Stamp/peer as a Markdown table.
 * <p>
 * The servers run in a forked JVM ({@link ServerMain}); this JVM is the load generator.
 * Throughput peers share one server process (one for HTTP, TCP and WebSocket, one for
 * WebTransport) and are measured one at a time, in interleaved rounds whose order
 * alternates ({@link Rounds}); the report gives the median of the rounds. The memory
 * scenarios start a fresh server process per peer.
 */
public final class BenchmarkMain {

	/** Spring MVC {@code @RestController} on Tomcat, platform threads. */
	static final String TOMCAT_MVC = "tomcat-mvc";

	/**
	 * Spring MVC on Tomcat with {@code spring.threads.virtual.enabled=true} (Java 21+).
	 */
	static final String TOMCAT_MVC_VIRTUAL = "tomcat-mvc-virtual";

	/** Spring's servlet WebSocket on Tomcat, a {@code TextWebSocketHandler} echo. */
	static final String TOMCAT_WEBSOCKET = "tomcat-websocket";

	/** A plain Java {@code ServerSocket} echo, a platform thread per connection. */
	static final String JAVA_SOCKET = "java-socket";

	/** The same with a virtual thread per connection (Java 21+). */
	static final String JAVA_SOCKET_VIRTUAL = "java-socket-virtual";

	/**
	 * Peers that exist only on a server JVM with virtual threads; elsewhere the report
	 * says n/a.
	 */
	static final Set<String> VIRTUAL_THREAD_PEERS = Set.of(TOMCAT_MVC_VIRTUAL, JAVA_SOCKET_VIRTUAL);

	static final List<String> HTTP_PEERS = List.of("raw", "webflux", TOMCAT_MVC, TOMCAT_MVC_VIRTUAL, "stamp-blocking",
			"stamp-reactive");

	/**
	 * Diagnostic HTTP peer: raw Reactor Netty with the idle and read timeouts Stamp's
	 * HTTP listener sets.
	 */
	static final String RAW_WITH_TIMEOUTS = "raw-timeouts";

	/**
	 * Diagnostic TCP peer: the echo on Reactor Netty's TcpServer, which Stamp's TCP
	 * listener is built on.
	 */
	static final String REACTOR_NETTY_TCP = "reactor-netty";

	static final List<String> TCP_PEERS = List.of("raw", JAVA_SOCKET, JAVA_SOCKET_VIRTUAL, "stamp-blocking",
			"stamp-reactive");

	static final List<String> WEBSOCKET_PEERS = List.of("raw", TOMCAT_WEBSOCKET, "stamp-blocking", "stamp-reactive");

	static final List<String> MEMORY_PEERS = List.of("raw", "stamp");

	/**
	 * Peers of {@code scale-wt}: the raw QUIC echo and Stamp. Flupke, at six platform
	 * threads per connection, holds a few thousand sessions, not tens of thousands.
	 */
	static final List<String> SCALE_WT_PEERS = List.of(WebTransportScenario.RAW_QUIC, WebTransportScenario.STAMP);

	/**
	 * Heap the server of a scale scenario gets on top of what its connections need:
	 * Spring, Netty and the warm-up pass's garbage.
	 */
	private static final long SCALE_BASE_HEAP = 512L * 1024 * 1024;

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		BenchmarkOptions options = BenchmarkOptions.parse(args);
		if (options.webTransport() && !NoSystemCaBundle.isInEffect()) {
			System.exit(NoSystemCaBundle.rerun(BenchmarkMain.class, args));
		}
		BenchmarkReport report = run(options);
		System.out.println(report.markdown());
		System.out.println("Written to " + options.output.toAbsolutePath());
		System.exit(report.isClean() ? 0 : 1);
	}

	static BenchmarkReport run(BenchmarkOptions options) throws Exception {
		Instant started = Instant.now();
		log("Stamp benchmarks: " + options.describe());
		BenchmarkReport report = new BenchmarkReport(options, started);
		if (options.classic()) {
			try (LoadGenerator load = new LoadGenerator(options.clientThreads)) {
				List<String> throughputScenarios = selected(options, List.of("http", "tcp", "ws"));
				if (!throughputScenarios.isEmpty()) {
					throughput(options, load, throughputScenarios, report);
				}
				if (options.scenarios.contains("memory")) {
					memory(options, "memory", options.idleConnections, options.idleConnections, options.serverJvmArgs,
							(server, peer, count) -> load.openIdleWebSockets(server.port("ws/" + peer), count,
									options.payload),
							report);
				}
			}
		}
		if (options.scenarios.contains(BenchmarkOptions.SCALE_WS)) {
			int count = options.scaleWsConnections;
			SourceAddresses sources = SourceAddresses.forSockets(count, options.socketsPerAddress);
			List<String> jvmArgs = scaleJvmArgs(options, count, 12 * 1024);
			report.scaleNotes.put(BenchmarkOptions.SCALE_WS, scaleNote(options, count, sources, jvmArgs));
			try (LoadGenerator load = new LoadGenerator(options.clientThreads)) {
				memory(options, BenchmarkOptions.SCALE_WS, count, count, jvmArgs, (server, peer, n) -> load
					.openIdleWebSockets(server.port("ws/" + peer), n, options.payload, sources), report);
			}
		}
		WebTransportLoad webTransport = new WebTransportLoad(options.clientThreads, options.wtStreamInFlight);
		List<String> webTransportScenarios = selected(options, WebTransportScenario.ids());
		webTransportScenarios.remove(WebTransportScenario.MEMORY.id());
		if (!webTransportScenarios.isEmpty()) {
			webTransport(options, webTransport, webTransportScenarios, report);
		}
		if (options.scenarios.contains(WebTransportScenario.MEMORY.id())) {
			memory(options, WebTransportScenario.MEMORY.id(), options.wtIdleSessions, options.wtIdleSessions,
					options.serverJvmArgs,
					(server, peer, count) -> webTransport.openIdleSessions(endpoint(server, peer), count), report);
		}
		if (options.scenarios.contains(BenchmarkOptions.SCALE_WT)) {
			int count = options.scaleWtSessions;
			int perSocket = options.scaleWtConnectionsPerSocket;
			int sockets = (count + perSocket - 1) / perSocket;
			SourceAddresses sources = SourceAddresses.forSockets(sockets, options.socketsPerAddress);
			List<String> jvmArgs = scaleJvmArgs(options, count, 40 * 1024);
			report.scaleNotes.put(BenchmarkOptions.SCALE_WT, scaleNote(options, count, sources, jvmArgs)
					+ String.format(", %,d client QUIC connections per UDP socket", perSocket));
			// Client sockets: the server's sessions all arrive on its one UDP socket.
			memory(options, BenchmarkOptions.SCALE_WT, count, sockets, jvmArgs, (server, peer, n) -> webTransport
				.openIdleSessions(endpoint(server, peer), n, scaleOpenFor(n), sources, perSocket), report);
		}
		if (options.scenarios.contains(BenchmarkOptions.SOAK)) {
			report.soak = new Soak(options).run();
			report.serverJava = report.soak.serverJava();
		}
		if (options.scenarios.contains(FanoutBenchmark.SCENARIO)) {
			FanoutBenchmark.run(options, report);
		}
		report.finished(Instant.now());
		String markdown = report.markdown();
		if (options.output.getParent() != null) {
			Files.createDirectories(options.output.getParent());
		}
		Files.writeString(options.output, markdown, StandardCharsets.UTF_8);
		for (Path chart : report.writeCharts()) {
			log("Chart written to " + chart.toAbsolutePath());
		}
		return report;
	}

	/** The selected scenarios among these, in run order. */
	private static List<String> selected(BenchmarkOptions options, List<String> scenarios) {
		List<String> selected = new ArrayList<>(options.scenarios);
		selected.retainAll(scenarios);
		return selected;
	}

	/** HTTP, TCP and WebSocket: every peer side by side in one server process. */
	private static void throughput(BenchmarkOptions options, LoadGenerator load, List<String> scenarios,
			BenchmarkReport report) throws Exception {
		try (ServerProcess server = ServerProcess.start("throughput", options.serverJvmArgs, options.logDirectory)) {
			report.serverJava = server.javaVersion();
			CpuMeter cpu = new CpuMeter(server.pid());
			// Peers the server did not start (virtual threads on Java 17) are left
			// out; the report says why.
			Rounds rounds = new Rounds(
					new Rounds.Schedule(options.rounds, options.prewarm, options.warmup, options.measure),
					(scenario) -> peers(options, scenario).stream()
						.filter((peer) -> server.serves(scenario + "/" + peer))
						.toList(),
					(scenario) -> Unit.REQUESTS);
			rounds.run(scenarios,
					(scenario, peer, warmup, measure) -> load.run(kind(scenario), server.port(scenario + "/" + peer),
							options.connections, options.payload, warmup, measure, options.maxRequestsPerConnection,
							cpu),
					report);
			report.leakReports += server.leakReports();
		}
	}

	/**
	 * The WebTransport figures: every WebTransport peer side by side in one server
	 * process.
	 */
	private static void webTransport(BenchmarkOptions options, WebTransportLoad load, List<String> scenarios,
			BenchmarkReport report) throws Exception {
		Set<String> peers = new LinkedHashSet<>();
		for (String scenario : scenarios) {
			peers.addAll(peers(options, scenario));
		}
		try (ServerProcess server = ServerProcess.start("webtransport", List.of(String.join(",", peers)),
				options.serverJvmArgs, options.logDirectory)) {
			report.serverJava = server.javaVersion();
			CpuMeter cpu = new CpuMeter(server.pid());
			Rounds rounds = new Rounds(
					new Rounds.Schedule(options.wtRounds, options.wtPrewarm, options.warmup, options.measure),
					(scenario) -> peers(options, scenario), (scenario) -> WebTransportScenario.of(scenario).unit());
			rounds.run(scenarios, (scenario, peer, warmup, measure) -> load.run(WebTransportScenario.of(scenario),
					endpoint(server, peer), warmup, measure, cpu), report);
			report.leakReports += server.leakReports();
		}
	}

	private static WebTransportLoad.Endpoint endpoint(ServerProcess server, String peer) {
		return new WebTransportLoad.Endpoint(peer, server.port("wt/" + peer), server.certificateSha256("wt/" + peer));
	}

	/** The peers of a scenario, in report order. */
	static List<String> peers(BenchmarkOptions options, String scenario) {
		if (scenario.equals("memory") || scenario.equals(BenchmarkOptions.SCALE_WS)) {
			return filtered(options, MEMORY_PEERS);
		}
		if (scenario.equals(BenchmarkOptions.SCALE_WT)) {
			return filtered(options, SCALE_WT_PEERS);
		}
		if (scenario.equals(BenchmarkOptions.SOAK)) {
			return List.of();
		}
		List<String> peers;
		if (WebTransportScenario.isWebTransport(scenario)) {
			peers = new ArrayList<>(WebTransportScenario.of(scenario).peers());
		}
		else {
			peers = new ArrayList<>(switch (scenario) {
				case "http" -> HTTP_PEERS;
				case "tcp" -> TCP_PEERS;
				default -> WEBSOCKET_PEERS;
			});
		}
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

	/** The peers named by {@code --peers} among these, all if none is named. */
	private static List<String> filtered(BenchmarkOptions options, List<String> peers) {
		if (options.peers.isEmpty() || peers.stream().noneMatch(options.peers::contains)) {
			return peers;
		}
		return peers.stream().filter(options.peers::contains).toList();
	}

	/**
	 * The server JVM of a scale scenario, unless {@code --server-jvm-args} says
	 * otherwise: a pre-touched heap of whole GiB, enough for the connections at
	 * {@code bytesPerConnection} each on top of {@link #SCALE_BASE_HEAP}.
	 */
	static List<String> scaleJvmArgs(BenchmarkOptions options, int count, long bytesPerConnection) {
		if (options.serverJvmArgsGiven || options.smoke) {
			return options.serverJvmArgs;
		}
		long gib = 1024L * 1024 * 1024;
		long heap = Math.max(1, (SCALE_BASE_HEAP + count * bytesPerConnection + gib - 1) / gib);
		return List.of("-Xms" + heap + "g", "-Xmx" + heap + "g", "-XX:+AlwaysPreTouch");
	}

	/**
	 * How long a scale scenario may take to open its sessions: 25 a second, at least the
	 * memory figure's minute, at most 5 minutes, so that the first sessions are well
	 * within the 10-minute idle timeout when the memory is measured. A quiet machine
	 * opens 250 to 500 a second.
	 */
	static Duration scaleOpenFor(int count) {
		return Duration.ofSeconds(Math.min(300, Math.max(WebTransportLoad.OPEN_DEADLINE.toSeconds(), count / 25)));
	}

	/**
	 * Raises the open-file limits of the load generator and a server for a scale run and
	 * says what they are.
	 */
	static String raiseOpenFiles(ServerProcess server, int descriptors) {
		long needed = descriptors + 10_000L;
		long client = OpenFileLimit.raise(ProcessHandle.current().pid(), needed);
		long serverLimit = OpenFileLimit.raise(server.pid(), needed);
		if (client < needed || serverLimit < needed) {
			log("Open-file limits (load generator " + client + ", server " + serverLimit + ") are below the " + needed
					+ " needed: expect failed connections");
		}
		return "open-file limit " + client + " (load generator), " + serverLimit + " (server)";
	}

	private static String scaleNote(BenchmarkOptions options, int count, SourceAddresses sources,
			List<String> jvmArgs) {
		return String.format(
				"%,d connections from %d source address(es) %s (at most %,d each; ephemeral ports %s), "
						+ "server JVM %s, load generator max heap %d MiB",
				count, sources.size(), sources.describe(), options.socketsPerAddress,
				SourceAddresses.ephemeralPortRange(), String.join(" ", jvmArgs),
				Runtime.getRuntime().maxMemory() / 1024 / 1024);
	}

	private static LoadGenerator.Kind kind(String scenario) {
		return switch (scenario) {
			case "http" -> LoadGenerator.Kind.HTTP;
			case "tcp" -> LoadGenerator.Kind.TCP;
			default -> LoadGenerator.Kind.WEBSOCKET;
		};
	}

	/**
	 * A memory scenario: per peer a fresh server process; a warm-up pass (a tenth of the
	 * connections, opened and closed) loads classes and JITs the connection path so that
	 * the baseline includes them; then the server's heap after GC and RSS without and
	 * with the idle connections. {@code descriptors} is how many sockets the run needs on
	 * either side, for the open-file limits of a scale run.
	 */
	private static void memory(BenchmarkOptions options, String scenario, int count, int descriptors,
			List<String> jvmArgs, IdleOpener opener, BenchmarkReport report) throws Exception {
		boolean scale = BenchmarkOptions.OPT_IN_SCENARIOS.contains(scenario);
		for (String peer : peers(options, scenario)) {
			try (ServerProcess server = ServerProcess.start(scenario + "-" + peer, jvmArgs, options.logDirectory)) {
				report.serverJava = server.javaVersion();
				if (scale) {
					String limits = raiseOpenFiles(server, descriptors);
					report.scaleNotes.merge(scenario, limits,
							(note, more) -> note.contains(more) ? note : note + "; " + more);
				}
				try (IdleConnections warmup = opener.open(server, peer, Math.max(10, count / 10))) {
					Thread.sleep(200);
				}
				Thread.sleep(500);
				ServerProcess.Memory before = server.memory();
				try (IdleConnections idle = opener.open(server, peer, count)) {
					Thread.sleep(options.smoke ? 200 : 1000);
					ServerProcess.Memory after = server.memory();
					BenchmarkReport.MemoryRow row = new BenchmarkReport.MemoryRow(scenario, peer, count,
							idle.verified(), after.sessions(), before.heap(), after.heap(), before.rss(), after.rss(),
							idle.mismatches(), idle.errors(), idle.errorSamples());
					report.memory.add(row);
					log(String.format(
							"%s %-8s %d connections (%d echoed, server sees %d): heap %+.0f B/conn, "
									+ "RSS %+.0f B/conn%s",
							scenario, peer, count, row.verified(), row.serverSessions(), row.heapPerConnection(),
							row.rssPerConnection(),
							(row.errors() > 0) ? "  errors " + row.errors() + " " + row.errorSamples() : ""));
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
	static double median(List<Measurement> results, ToDoubleFunction<Measurement> value) {
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
		facts.put("Netty",
				io.netty.util.Version.identify()
					.getOrDefault("netty-common", io.netty.util.Version.identify().values().iterator().next())
					.artifactVersion());
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
				.map((line) -> String.format("%.1f GiB", Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0))
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

	/** Opens the idle connections (or sessions) of a memory scenario on one peer. */
	@FunctionalInterface
	private interface IdleOpener {

		IdleConnections open(ServerProcess server, String peer, int count) throws Exception;

	}

}
