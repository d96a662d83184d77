package dev.stamp.benchmarks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The results of a run and their Markdown rendering; the WebTransport sections are
 * {@link WebTransportReport}.
 */
final class BenchmarkReport {

	private final BenchmarkOptions options;

	private final Instant started;

	private Instant finished;

	String serverJava = "?";

	int leakReports;

	/** Per scenario, per peer, the results of each round. */
	final Map<String, Map<String, List<Measurement>>> results = new LinkedHashMap<>();

	final List<MemoryRow> memory = new ArrayList<>();

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

	Row row(String scenario, String peer) {
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
		return this.leakReports == 0
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
		List<Target> httpTargets = new ArrayList<>(
				List.of(new Target("stamp-blocking", "raw", 0.9), new Target("stamp-reactive", "raw", 0.9),
						new Target("stamp-blocking", "webflux", 1.0), new Target("stamp-reactive", "webflux", 1.0)));
		if (this.options.diagnostics) {
			httpTargets.add(Target.diagnostic(BenchmarkMain.RAW_WITH_TIMEOUTS, "raw"));
			httpTargets.add(Target.diagnostic("stamp-reactive", BenchmarkMain.RAW_WITH_TIMEOUTS));
		}
		scenario(md, "http", "HTTP: `GET /hello`, 13-byte `text/plain` body, keep-alive", httpTargets);
		List<Target> tcpTargets = new ArrayList<>(
				List.of(new Target("stamp-blocking", "raw", 0.9), new Target("stamp-reactive", "raw", 0.9)));
		if (this.options.diagnostics) {
			tcpTargets.add(Target.diagnostic(BenchmarkMain.REACTOR_NETTY_TCP, "raw"));
			tcpTargets.add(Target.diagnostic("stamp-reactive", BenchmarkMain.REACTOR_NETTY_TCP));
		}
		scenario(md, "tcp", "TCP echo: " + this.options.payload + "-byte message, wait for all bytes back", tcpTargets);
		scenario(md, "ws", "WebSocket echo: " + this.options.payload + "-byte text message, wait for the reply frame",
				List.of(new Target("stamp-blocking", "raw", 0.9), new Target("stamp-reactive", "raw", 0.9)));
		memoryTable(md, "memory",
				"## Memory: " + this.options.idleConnections + " idle WebSocket connections (one echo each, then idle)",
				"connection", false);
		new WebTransportReport(this).appendTo(md);
		md.append("Errors: ")
			.append(totalErrors())
			.append(", byte mismatches: ")
			.append(totalMismatches())
			.append(", Netty leak reports in server logs: ")
			.append(this.leakReports)
			.append(".\n");
		return md.toString();
	}

	private void scenario(StringBuilder md, String scenario, String title, List<Target> targets) {
		if (!this.results.containsKey(scenario)) {
			return;
		}
		md.append("## ").append(title).append(", ").append(this.options.connections).append(" connections\n\n");
		MarkdownTable table = new MarkdownTable("peer", ">throughput (median, req/s)", ">p50 (µs)", ">p99 (µs)",
				">server CPU per request (µs)", "each round (req/s)", ">kernel softirq (cores)",
				">background load (cores)", ">errors");
		for (Row row : rows(scenario)) {
			table.row(label(scenario, row.peer()), String.format("%,.0f", row.throughput()),
					String.format("%.0f", row.p50()), String.format("%.0f", row.p99()),
					String.format("%.1f", row.serverCpuPerOperation()), perRound(row, Unit.REQUESTS),
					String.format("%.2f", row.interruptCores()), String.format("%.2f", row.otherCores()),
					row.errors() + row.mismatches());
		}
		table.appendTo(md);
		comparisons(scenario, Unit.REQUESTS, targets, "p99", Row::p99).appendTo(md);
	}

	List<Row> rows(String scenario) {
		return rows().stream().filter((row) -> row.scenario().equals(scenario)).toList();
	}

	/** Every round's throughput of a row, in the unit. */
	static String perRound(Row row, Unit unit) {
		return row.perRound()
			.stream()
			.map((value) -> unit.formatThroughput(value / unit.operationsPerUnit()))
			.collect(Collectors.joining(", "));
	}

	/**
	 * The Stamp / peer table of a scenario: throughput ratios against the targets, the
	 * latency ratio (if there is a latency column) and the server CPU per operation
	 * ratio.
	 */
	MarkdownTable comparisons(String scenario, Unit unit, List<Target> targets, String latencyName,
			ToDoubleFunction<Row> latency) {
		List<String> columns = new ArrayList<>(List.of("Stamp / peer", ">throughput ratio (of the medians)",
				">throughput ratio (median of each round's)", ">target", "^met"));
		if (latencyName != null) {
			columns.add(">" + latencyName + " ratio (lower is better)");
		}
		columns.add(">server CPU per " + unit.name() + " ratio (lower is better)");
		MarkdownTable table = new MarkdownTable(columns.toArray(new String[0]));
		for (Target target : targets) {
			Row stamp = row(scenario, target.stamp());
			Row peer = row(scenario, target.peer());
			if (stamp == null || peer == null) {
				continue;
			}
			double ratio = stamp.throughput() / peer.throughput();
			double paired = pairedRatio(scenario, target.stamp(), target.peer());
			List<Object> cells = new ArrayList<>(
					List.of((target.diagnostic() ? "_diagnostic:_ " : "") + target.stamp() + " / " + target.peer(),
							String.format("%.2fx", ratio), String.format("%.2fx", paired),
							target.hasTarget() ? String.format("≥ %.1fx", target.ratio()) : "–",
							target.hasTarget() ? met(ratio, paired, target.ratio()) : "–"));
			if (latencyName != null) {
				cells.add(String.format("%.2fx", latency.applyAsDouble(stamp) / latency.applyAsDouble(peer)));
			}
			cells.add(String.format("%.2fx", stamp.serverCpuPerOperation() / peer.serverCpuPerOperation()));
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
			case BenchmarkMain.REACTOR_NETTY_TCP -> "_diagnostic:_ Reactor Netty `TcpServer` echo";
			case BenchmarkMain.RAW_WITH_TIMEOUTS ->
				"_diagnostic:_ raw `HttpServer` + `idleTimeout` + `readTimeout` (as Stamp sets them)";
			case "stamp-blocking" -> "Stamp, blocking route";
			case "stamp-reactive" -> "Stamp, reactive route";
			case WebTransportScenario.RAW_QUIC -> "raw Netty QUIC echo (no HTTP/3)";
			case WebTransportScenario.FLUPKE -> "Flupke WebTransport echo";
			case "stamp" -> WebTransportScenario.isWebTransport(scenario) ? "Stamp (`stamp.webtransport.echo-path`)"
					: "Stamp (`Mono<String>` route)";
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
	record Target(String stamp, String peer, double ratio, boolean diagnostic) {

		Target(String stamp, String peer, double ratio) {
			this(stamp, peer, ratio, false);
		}

		static Target diagnostic(String stamp, String peer) {
			return new Target(stamp, peer, Double.NaN, true);
		}

		static Target reported(String stamp, String peer) {
			return new Target(stamp, peer, Double.NaN, false);
		}

		boolean hasTarget() {
			return !Double.isNaN(this.ratio);
		}

	}

}
