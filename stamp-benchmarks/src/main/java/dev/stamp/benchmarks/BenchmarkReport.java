package dev.stamp.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The results of a run and their Markdown rendering; the WebTransport sections are
 * {@link WebTransportReport}.
 */
final class BenchmarkReport {

	private static final Pattern JAVA_FEATURE = Pattern.compile("^(\\d+)");

	private final BenchmarkOptions options;

	private final Instant started;

	private Instant finished;

	String serverJava = "?";

	int leakReports;

	/** Per scenario, per peer, the results of each round. */
	final Map<String, Map<String, List<Measurement>>> results = new LinkedHashMap<>();

	final List<MemoryRow> memory = new ArrayList<>();

	/**
	 * Per scale scenario, how it was set up: source addresses, heap, open-file limits.
	 */
	final Map<String, String> scaleNotes = new LinkedHashMap<>();

	/** The soak's result, if it ran. */
	@Nullable SoakResult soak;

	/** The fan-out figure's rounds. */
	final List<FanoutBenchmark.Row> fanout = new ArrayList<>();

	BenchmarkReport(BenchmarkOptions options, Instant started) {
		this.options = options;
		this.started = started;
	}

	BenchmarkOptions options() {
		return this.options;
	}

	void add(String scenario, String peer, Measurement result) {
		this.results.computeIfAbsent(scenario, (key) -> new LinkedHashMap<>())
			.computeIfAbsent(peer, (key) -> new ArrayList<>())
			.add(result);
	}

	void finished(Instant at) {
		this.finished = at;
	}

	/** The median row of every scenario and peer measured. */
	List<Row> rows() {
		List<Row> rows = new ArrayList<>();
		this.results.forEach((scenario, peers) -> {
			for (String peer : BenchmarkMain.peers(this.options, scenario)) {
				List<Measurement> rounds = peers.get(peer);
				if (rounds != null) {
					rows.add(new Row(scenario, peer, BenchmarkMain.median(rounds, Measurement::throughput),
							BenchmarkMain.median(rounds, Measurement::p50Micros),
							BenchmarkMain.median(rounds, Measurement::p99Micros),
							BenchmarkMain.median(rounds, Measurement::serverCpuMicrosPerOperation),
							BenchmarkMain.median(rounds, (r) -> r.cpu().serverCores()),
							BenchmarkMain.median(rounds, (r) -> r.cpu().clientCores()),
							BenchmarkMain.median(rounds, (r) -> r.cpu().interruptCores()),
							BenchmarkMain.median(rounds, (r) -> r.cpu().otherCores()),
							BenchmarkMain.median(rounds, Measurement::lossRate),
							rounds.stream().mapToLong(Measurement::operations).sum(),
							rounds.stream().mapToLong(Measurement::lost).sum(),
							rounds.stream().mapToLong(Measurement::mismatches).sum(),
							rounds.stream().mapToLong(Measurement::errors).sum(),
							rounds.stream().mapToDouble(Measurement::throughput).boxed().toList(),
							rounds.stream().flatMap((r) -> r.errorSamples().stream()).distinct().limit(3).toList()));
				}
			}
		});
		return rows;
	}

	@Nullable Row row(String scenario, String peer) {
		return rows().stream()
			.filter((row) -> row.scenario().equals(scenario) && row.peer().equals(peer))
			.findFirst()
			.orElse(null);
	}

	List<MemoryRow> memory(String scenario) {
		return this.memory.stream().filter((row) -> row.scenario().equals(scenario)).toList();
	}

	/**
	 * No errors, no byte mismatches, no leak reports, and the idle connections all
	 * verified.
	 */
	boolean isClean() {
		return this.leakReports == 0 && (this.soak == null || this.soak.passed()) && new FanoutReport(this).isClean()
				&& rows().stream().allMatch((row) -> row.errors() == 0 && row.mismatches() == 0 && row.throughput() > 0)
				&& this.memory.stream()
					.allMatch((row) -> row.errors() == 0 && row.mismatches() == 0 && row.verified() == row.requested());
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# Stamp benchmark results")
			.append(this.options.smoke ? " (smoke mode: not a measurement)" : "")
			.append("\n\n");
		md.append("- Started: ").append(this.started.truncatedTo(ChronoUnit.SECONDS));
		if (this.finished != null) {
			md.append(", finished: ").append(this.finished.truncatedTo(ChronoUnit.SECONDS));
		}
		md.append(" (UTC)\n");
		md.append("- Run: ").append(this.options.describe()).append('\n');
		md.append("- Server JVM: Java ")
			.append(this.serverJava)
			.append(", a separate process from the load generator; all traffic on 127.0.0.1\n");
		md.append(BenchmarkMain.machine());
		md.append('\n');
		scenario(md, "http", "HTTP: `GET /hello`, 13-byte `text/plain` body, keep-alive");
		scenario(md, "tcp", "TCP echo: " + this.options.payload + "-byte message, wait for all bytes back");
		scenario(md, "ws", "WebSocket echo: " + this.options.payload + "-byte text message, wait for the reply frame");
		memoryTable(md, "memory",
				"## Memory: " + this.options.idleConnections + " idle WebSocket connections (one echo each, then idle)",
				"connection", false);
		new WebTransportReport(this).appendTo(md);
		scaleTable(md, BenchmarkOptions.SCALE_WS, "## Scale: %,d idle WebSocket connections (one echo each, then idle)",
				this.options.scaleWsConnections, "connection");
		scaleTable(md, BenchmarkOptions.SCALE_WT,
				"## Scale: %,d idle WebTransport sessions, each on its own QUIC connection (one echo each, then idle)",
				this.options.scaleWtSessions, "session");
		if (this.soak != null) {
			this.soak.appendTo(md);
		}
		new FanoutReport(this).appendTo(md);
		md.append("Errors: ")
			.append(totalErrors())
			.append(", byte mismatches: ")
			.append(totalMismatches())
			.append(", Netty leak reports in server logs: ")
			.append(this.leakReports)
			.append(".\n");
		return md.toString();
	}

	/**
	 * The Stamp / peer comparisons of a scenario, in report order. Stamp's blocking
	 * routes against what users of blocking code pick must also answer at a lower p99.
	 */
	List<Target> targets(String scenario) {
		if (WebTransportScenario.isWebTransport(scenario)) {
			return WebTransportReport.targets(WebTransportScenario.of(scenario));
		}
		List<Target> targets = new ArrayList<>();
		switch (scenario) {
			case "http" -> {
				targets.addAll(List.of(new Target("stamp-blocking", "raw", 0.9),
						new Target("stamp-reactive", "raw", 0.9), new Target("stamp-blocking", "webflux", 1.0),
						new Target("stamp-reactive", "webflux", 1.0)));
				targets.add(Target.withLowerP99("stamp-blocking", BenchmarkMain.TOMCAT_MVC, 1.5));
				targets.add(Target.withLowerP99("stamp-blocking", BenchmarkMain.TOMCAT_MVC_VIRTUAL, 1.5));
				if (this.options.diagnostics) {
					targets.add(Target.diagnostic(BenchmarkMain.RAW_WITH_TIMEOUTS, "raw"));
					targets.add(Target.diagnostic("stamp-reactive", BenchmarkMain.RAW_WITH_TIMEOUTS));
				}
			}
			case "tcp" -> {
				targets.addAll(
						List.of(new Target("stamp-blocking", "raw", 0.9), new Target("stamp-reactive", "raw", 0.9)));
				targets.add(new Target("stamp-blocking", BenchmarkMain.JAVA_SOCKET, 1.0));
				targets.add(new Target("stamp-blocking", BenchmarkMain.JAVA_SOCKET_VIRTUAL, 1.0));
				if (this.options.diagnostics) {
					targets.add(Target.diagnostic(BenchmarkMain.REACTOR_NETTY_TCP, "raw"));
					targets.add(Target.diagnostic("stamp-reactive", BenchmarkMain.REACTOR_NETTY_TCP));
				}
			}
			default -> {
				targets.addAll(
						List.of(new Target("stamp-blocking", "raw", 0.9), new Target("stamp-reactive", "raw", 0.9)));
				targets.add(Target.withLowerP99("stamp-blocking", BenchmarkMain.TOMCAT_WEBSOCKET, 1.5));
			}
		}
		return targets;
	}

	private void scenario(StringBuilder md, String scenario, String title) {
		if (!this.results.containsKey(scenario)) {
			return;
		}
		md.append("## ").append(title).append(", ").append(this.options.connections).append(" connections\n\n");
		MarkdownTable table = new MarkdownTable("peer", ">throughput (median, req/s)", ">p50 (µs)", ">p99 (µs)",
				">server CPU per request (µs)", "each round (req/s)", ">kernel softirq (cores)",
				">background load (cores)", ">errors");
		List<String> unavailable = unavailable(scenario);
		for (String peer : BenchmarkMain.peers(this.options, scenario)) {
			Row row = row(scenario, peer);
			if (row != null) {
				table.row(label(scenario, peer), String.format("%,.0f", row.throughput()),
						String.format("%.0f", row.p50()), String.format("%.0f", row.p99()),
						String.format("%.1f", row.serverCpuPerOperation()), perRound(row, Unit.REQUESTS),
						String.format("%.2f", row.interruptCores()), String.format("%.2f", row.otherCores()),
						row.errors() + row.mismatches());
			}
			else if (unavailable.contains(peer)) {
				Object[] cells = new Object[9];
				Arrays.fill(cells, "–");
				cells[0] = label(scenario, peer);
				cells[1] = notAvailable();
				table.row(cells);
			}
		}
		table.appendTo(md);
		List<Comparison> comparisons = comparisons(scenario, targets(scenario), Row::p99);
		comparisonTable(comparisons, Unit.REQUESTS, "p99").appendTo(md);
		missedTargets(md, comparisons, Unit.REQUESTS);
		chartLink(md, scenario, comparisons);
	}

	/**
	 * Peers of a scenario that the server JVM could not run: the virtual-thread variants
	 * on a JVM without virtual threads.
	 */
	List<String> unavailable(String scenario) {
		if (serverJavaFeature() >= 21) {
			return List.of();
		}
		return BenchmarkMain.peers(this.options, scenario)
			.stream()
			.filter((peer) -> BenchmarkMain.VIRTUAL_THREAD_PEERS.contains(peer) && row(scenario, peer) == null)
			.toList();
	}

	/** What the report says of a peer that needs virtual threads the server lacks. */
	String notAvailable() {
		return "n/a (JDK " + serverJavaFeature() + ")";
	}

	/** The server JVM's feature release, 0 if unknown. */
	int serverJavaFeature() {
		Matcher feature = JAVA_FEATURE.matcher(this.serverJava);
		return feature.find() ? Integer.parseInt(feature.group(1)) : 0;
	}

	/**
	 * Under a comparison table: for every target missed, the server CPU per operation and
	 * the cores the server used, Stamp's against the peer's, which tell work (more CPU
	 * per operation) from waiting (less of a core used).
	 */
	private void missedTargets(StringBuilder md, List<Comparison> comparisons, Unit unit) {
		List<String> lines = new ArrayList<>();
		for (Comparison comparison : comparisons) {
			if (comparison.measured() && comparison.target().hasTarget() && !comparison.verdict().equals("yes")) {
				Row stamp = Objects.requireNonNull(comparison.stamp());
				Row peer = Objects.requireNonNull(comparison.peer());
				lines.add(String.format(
						"- %s missed: server CPU per %s %,.1f µs against %,.1f µs (%.2fx); server busy %.2f cores "
								+ "against %.2f",
						comparison.name(), unit.name(), stamp.serverCpuPerOperation() * unit.operationsPerUnit(),
						peer.serverCpuPerOperation() * unit.operationsPerUnit(), comparison.cpuRatio(),
						stamp.serverCores(), peer.serverCores()));
			}
		}
		if (!lines.isEmpty()) {
			md.append(String.join("\n", lines)).append("\n\n");
		}
	}

	/** The chart of a scenario's ratios, if it has one. */
	void chartLink(StringBuilder md, String scenario, List<Comparison> comparisons) {
		if (comparisons.stream().anyMatch(Comparison::measured)) {
			md.append("![Stamp / peer throughput, ")
				.append(scenario)
				.append("](")
				.append(chartFile(scenario).getFileName())
				.append(")\n\n");
		}
	}

	/** Where the chart of a scenario goes: next to the report, named after it. */
	Path chartFile(String scenario) {
		String report = this.options.output.getFileName().toString();
		String base = report.endsWith(".md") ? report.substring(0, report.length() - 3) : report;
		Path file = Path.of(base + "-" + scenario + ".png");
		Path directory = this.options.output.getParent();
		return (directory != null) ? directory.resolve(file) : file;
	}

	/**
	 * Writes a bar chart of the Stamp / peer throughput ratios of every scenario measured
	 * next to the report.
	 * @return the files written
	 */
	List<Path> writeCharts() throws IOException {
		List<Path> written = new ArrayList<>();
		for (String scenario : this.results.keySet()) {
			List<Comparison> comparisons = comparisons(scenario, targets(scenario), Row::p99).stream()
				.filter(Comparison::measured)
				.toList();
			if (!comparisons.isEmpty()) {
				Path file = chartFile(scenario);
				RatioChart.write(file, chartTitle(scenario), comparisons);
				written.add(file);
			}
		}
		Path fanout = new FanoutReport(this).writeChart();
		if (fanout != null) {
			written.add(fanout);
		}
		return written;
	}

	private String chartTitle(String scenario) {
		String connections = this.options.connections + " connections, ";
		return switch (scenario) {
			case "http" -> "HTTP GET /hello, " + connections;
			case "tcp" -> "TCP echo, " + this.options.payload + " bytes, " + connections;
			case "ws" -> "WebSocket echo, " + this.options.payload + " bytes, " + connections;
			default -> "WebTransport " + scenario + ", ";
		} + "server on Java " + serverJavaFeature();
	}

	/** Every round's throughput of a row, in the unit. */
	static String perRound(Row row, Unit unit) {
		return row.perRound()
			.stream()
			.map((value) -> unit.formatThroughput(value / unit.operationsPerUnit()))
			.collect(Collectors.joining(", "));
	}

	/**
	 * The Stamp / peer comparisons of a scenario: throughput ratios against the targets,
	 * the latency ratio and the server CPU per operation ratio. A comparison with a peer
	 * the server could not run is listed as not measured; one with a peer or a Stamp form
	 * left out of the run is left out.
	 */
	List<Comparison> comparisons(String scenario, List<Target> targets, ToDoubleFunction<Row> latency) {
		List<String> unavailable = unavailable(scenario);
		List<Comparison> comparisons = new ArrayList<>();
		for (Target target : targets) {
			Row stamp = row(scenario, target.stamp());
			Row peer = row(scenario, target.peer());
			if (stamp != null && peer != null) {
				comparisons.add(new Comparison(target, stamp, peer, stamp.throughput() / peer.throughput(),
						pairedRatio(scenario, target.stamp(), target.peer()),
						latency.applyAsDouble(stamp) / latency.applyAsDouble(peer),
						stamp.serverCpuPerOperation() / peer.serverCpuPerOperation()));
			}
			else if (unavailable.contains(target.peer())) {
				comparisons.add(new Comparison(target, null, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
			}
		}
		return comparisons;
	}

	/**
	 * The Stamp / peer table of a scenario.
	 * @param latencyName the latency column's name, {@code null} for none
	 */
	MarkdownTable comparisonTable(List<Comparison> comparisons, Unit unit, @Nullable String latencyName) {
		List<String> columns = new ArrayList<>(List.of("Stamp / peer", ">throughput ratio (of the medians)",
				">throughput ratio (median of each round's)", ">target", "^met"));
		if (latencyName != null) {
			columns.add(">" + latencyName + " ratio (lower is better)");
		}
		columns.add(">server CPU per " + unit.name() + " ratio (lower is better)");
		MarkdownTable table = new MarkdownTable(columns.toArray(new String[0]));
		for (Comparison comparison : comparisons) {
			Target target = comparison.target();
			List<Object> cells = new ArrayList<>(List.of(comparison.name(),
					comparison.measured() ? String.format("%.2fx", comparison.ratio()) : notAvailable(),
					comparison.measured() ? String.format("%.2fx", comparison.paired()) : "–", target.describe(),
					comparison.measured() ? comparison.verdict() : "–"));
			if (latencyName != null) {
				cells.add(comparison.measured() ? String.format("%.2fx", comparison.latencyRatio()) : "–");
			}
			cells.add(comparison.measured() ? String.format("%.2fx", comparison.cpuRatio()) : "–");
			table.row(cells.toArray());
		}
		return table;
	}

	/**
	 * Met when both throughput ratios reach the target, borderline when only one does.
	 */
	static String met(double ratio, double paired, double target) {
		return (ratio >= target && paired >= target) ? "yes"
				: (ratio >= target || paired >= target) ? "**borderline**" : "**no**";
	}

	/**
	 * The median over rounds of Stamp's throughput divided by the peer's in the same
	 * round: peers of one round run back to back, so this cancels drift in the machine's
	 * background load better than the ratio of the medians.
	 */
	double pairedRatio(String scenario, String stamp, String peer) {
		List<Measurement> mine = this.results.get(scenario).get(stamp);
		List<Measurement> theirs = this.results.get(scenario).get(peer);
		int rounds = Math.min(mine.size(), theirs.size());
		double[] ratios = new double[rounds];
		for (int i = 0; i < rounds; i++) {
			ratios[i] = mine.get(i).throughput() / theirs.get(i).throughput();
		}
		Arrays.sort(ratios);
		return (rounds % 2 == 1) ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
	}

	/**
	 * The memory table of a scenario, then the Stamp / peer ratios per connection.
	 * @param thing what is held idle, singular ("connection", "session")
	 * @param withTotal whether to add a heap + RSS column
	 */
	void memoryTable(StringBuilder md, String scenario, String heading, String thing, boolean withTotal) {
		List<MemoryRow> rows = memory(scenario);
		if (rows.isEmpty()) {
			return;
		}
		md.append(heading).append("\n\n");
		List<String> columns = new ArrayList<>(
				List.of("peer", thing + "s verified / server count", "heap after GC: before → with " + thing + "s",
						">heap per " + thing, "RSS: before → with " + thing + "s", ">RSS per " + thing));
		if (withTotal) {
			columns.add(">heap + RSS per " + thing);
		}
		MarkdownTable table = new MarkdownTable(columns.toArray(new String[0]));
		for (MemoryRow row : rows) {
			List<Object> cells = new ArrayList<>(
					List.of(label(scenario, row.peer()), row.verified() + " / " + row.serverSessions(),
							mib(row.heapBefore()) + " → " + mib(row.heapAfter()), kib(row.heapPerConnection()),
							mib(row.rssBefore()) + " → " + mib(row.rssAfter()), kib(row.rssPerConnection())));
			if (withTotal) {
				cells.add(kib(row.totalPerConnection()));
			}
			table.row(cells.toArray());
		}
		table.appendTo(md);
		for (MemoryRow row : rows) {
			if (row.held() != row.requested()) {
				md.append(String.format("%s held %d of the %d %ss asked for: its memory is per %s held.%n%n",
						label(scenario, row.peer()), row.held(), row.requested(), thing, thing));
			}
		}
		MemoryRow stamp = rows.stream().filter((row) -> row.peer().startsWith("stamp")).findFirst().orElse(null);
		if (stamp != null) {
			List<String> ratios = new ArrayList<>();
			for (MemoryRow peer : rows) {
				if (peer != stamp) {
					ratios.add(String.format("Stamp / %s: heap per %s %.2fx, RSS per %s %.2fx", peer.peer(), thing,
							stamp.heapPerConnection() / peer.heapPerConnection(), thing,
							stamp.rssPerConnection() / peer.rssPerConnection()));
				}
			}
			if (!ratios.isEmpty()) {
				md.append(String.join("; ", ratios)).append(".\n\n");
			}
		}
	}

	/** A scale scenario's memory table, with how it was set up under it. */
	private void scaleTable(StringBuilder md, String scenario, String heading, int count, String thing) {
		if (memory(scenario).isEmpty()) {
			return;
		}
		memoryTable(md, scenario, String.format(heading, count), thing, true);
		String note = this.scaleNotes.get(scenario);
		if (note != null) {
			md.append("Set-up: ").append(note).append(".\n\n");
		}
	}

	private long totalErrors() {
		return rows().stream().mapToLong(Row::errors).sum() + this.memory.stream().mapToLong(MemoryRow::errors).sum();
	}

	private long totalMismatches() {
		return rows().stream().mapToLong(Row::mismatches).sum()
				+ this.memory.stream().mapToLong(MemoryRow::mismatches).sum();
	}

	static String label(String scenario, String peer) {
		return switch (peer) {
			case "raw" -> switch (scenario) {
				case "http" -> "raw Reactor Netty `HttpServer`";
				case "tcp" -> "raw Netty echo handler";
				default -> "raw Reactor Netty WebSocket";
			};
			case "webflux" -> "Spring WebFlux `@RestController`";
			case BenchmarkMain.TOMCAT_MVC -> "Spring MVC `@RestController` on Tomcat, platform threads";
			case BenchmarkMain.TOMCAT_MVC_VIRTUAL ->
				"Spring MVC `@RestController` on Tomcat, `spring.threads.virtual.enabled`";
			case BenchmarkMain.TOMCAT_WEBSOCKET -> "Spring servlet WebSocket on Tomcat (`TextWebSocketHandler`)";
			case BenchmarkMain.JAVA_SOCKET -> "Java `ServerSocket`, a platform thread per connection";
			case BenchmarkMain.JAVA_SOCKET_VIRTUAL -> "Java `ServerSocket`, a virtual thread per connection";
			case BenchmarkMain.REACTOR_NETTY_TCP -> "_diagnostic:_ Reactor Netty `TcpServer` echo";
			case BenchmarkMain.RAW_WITH_TIMEOUTS ->
				"_diagnostic:_ raw `HttpServer` + `idleTimeout` + `readTimeout` (as Stamp sets them)";
			case "stamp-blocking" -> "Stamp, blocking route";
			case "stamp-reactive" -> "Stamp, reactive route";
			case WebTransportScenario.RAW_QUIC -> "raw Netty QUIC echo (no HTTP/3)";
			case WebTransportScenario.FLUPKE -> "Flupke WebTransport echo";
			case "stamp" ->
				(WebTransportScenario.isWebTransport(scenario) || scenario.equals(BenchmarkOptions.SCALE_WT))
						? "Stamp (`stamp.webtransport.echo-path`)" : "Stamp (`Mono<String>` route)";
			default -> peer;
		};
	}

	static String mib(long bytes) {
		return String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
	}

	static String kib(double bytes) {
		return String.format("%.2f KiB", bytes / 1024.0);
	}

	/**
	 * The median of the rounds for one scenario and peer. Throughput in operations per
	 * second (see {@link Unit}), latencies in microseconds, CPU in cores or microseconds
	 * per operation.
	 */
	record Row(String scenario, String peer, double throughput, double p50, double p99, double serverCpuPerOperation,
			double serverCores, double clientCores, double interruptCores, double otherCores, double lossRate,
			long operations, long lost, long mismatches, long errors, List<Double> perRound,
			List<String> errorSamples) {
	}

	/**
	 * One peer of a memory scenario. Memory is divided by the connections the server
	 * held; they are the ones requested unless the peer could not hold them all.
	 *
	 * @param serverSessions the connections or sessions the server counted while they
	 * were open
	 */
	record MemoryRow(String scenario, String peer, int requested, int verified, int serverSessions, long heapBefore,
			long heapAfter, long rssBefore, long rssAfter, long mismatches, long errors, List<String> errorSamples) {

		/**
		 * The connections the memory is divided by: the server's count, where it has one.
		 */
		int held() {
			return (this.serverSessions > 0) ? this.serverSessions : this.requested;
		}

		double heapPerConnection() {
			return (this.heapAfter - this.heapBefore) / (double) held();
		}

		double rssPerConnection() {
			return (this.rssAfter - this.rssBefore) / (double) held();
		}

		/**
		 * With a pre-touched heap, RSS growth is memory outside the heap: the sum is what
		 * a connection costs.
		 */
		double totalPerConnection() {
			return heapPerConnection() + rssPerConnection();
		}

	}

	/**
	 * A Stamp / peer comparison: Stamp's throughput should be at least {@code ratio}
	 * times the peer's. A diagnostic one explains rather than competes; NaN means
	 * reported without a target.
	 */
	record Target(String stamp, String peer, double ratio, boolean diagnostic, boolean lowerP99) {

		Target(String stamp, String peer, double ratio) {
			this(stamp, peer, ratio, false, false);
		}

		static Target diagnostic(String stamp, String peer) {
			return new Target(stamp, peer, Double.NaN, true, false);
		}

		static Target reported(String stamp, String peer) {
			return new Target(stamp, peer, Double.NaN, false, false);
		}

		/** At least {@code ratio} times the peer's throughput, and a lower p99. */
		static Target withLowerP99(String stamp, String peer, double ratio) {
			return new Target(stamp, peer, ratio, false, true);
		}

		boolean hasTarget() {
			return !Double.isNaN(this.ratio);
		}

		String describe() {
			return !hasTarget() ? "–" : String.format("≥ %.1fx", this.ratio) + (this.lowerP99 ? ", lower p99" : "");
		}

	}

	/**
	 * One Stamp / peer comparison of a scenario; without rows (and with NaN ratios) if
	 * the peer could not run on the server JVM.
	 *
	 * @param ratio throughput, of the medians
	 * @param paired throughput, median of each round's
	 * @param latencyRatio the scenario's latency (p99, or p50 for handshakes)
	 * @param cpuRatio server CPU per operation
	 */
	record Comparison(Target target, @Nullable Row stamp, @Nullable Row peer, double ratio, double paired,
			double latencyRatio, double cpuRatio) {

		boolean measured() {
			return this.stamp != null;
		}

		String name() {
			return (this.target.diagnostic() ? "_diagnostic:_ " : "") + this.target.stamp() + " / "
					+ this.target.peer();
		}

		/**
		 * Against the target: {@link #met}, and no better than "no" if a lower p99 was
		 * asked for and not delivered.
		 */
		String verdict() {
			String met = met(this.ratio, this.paired, this.target.ratio());
			if (this.target.lowerP99() && !(this.latencyRatio < 1)) {
				return met.equals("**no**") ? met : "**no** (p99 not lower)";
			}
			return met;
		}

	}

}
