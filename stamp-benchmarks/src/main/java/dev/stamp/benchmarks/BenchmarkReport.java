package dev.stamp.benchmarks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The results of a run and their Markdown rendering. */
final class BenchmarkReport {

	private final BenchmarkOptions options;

	private final Instant started;

	private Instant finished;

	String serverJava = "?";

	int leakReports;

	/** Per scenario, per peer, the results of each round. */
	final Map<String, Map<String, List<LoadGenerator.Result>>> results = new LinkedHashMap<>();

	final List<MemoryRow> memory = new ArrayList<>();

	BenchmarkReport(BenchmarkOptions options, Instant started) {
		this.options = options;
		this.started = started;
	}

	void add(String scenario, String peer, LoadGenerator.Result result) {
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
			List<String> order = BenchmarkMain.peers(this.options, scenario);
			for (String peer : order) {
				List<LoadGenerator.Result> rounds = peers.get(peer);
				if (rounds != null) {
					rows.add(new Row(scenario, peer, BenchmarkMain.median(rounds, LoadGenerator.Result::throughput),
							BenchmarkMain.median(rounds, LoadGenerator.Result::p50Micros),
							BenchmarkMain.median(rounds, LoadGenerator.Result::p99Micros),
							BenchmarkMain.median(rounds, LoadGenerator.Result::serverCpuMicrosPerRequest),
							BenchmarkMain.median(rounds, (r) -> r.cpu().interruptCores()),
							BenchmarkMain.median(rounds, (r) -> r.cpu().otherCores()),
							rounds.stream().mapToLong((r) -> r.histogram().getTotalCount()).sum(),
							rounds.stream().mapToLong(LoadGenerator.Result::mismatches).sum(),
							rounds.stream().mapToLong(LoadGenerator.Result::errors).sum(),
							rounds.stream().mapToDouble(LoadGenerator.Result::throughput).boxed().toList(),
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

	/** No errors, no byte mismatches, no leak reports, and the idle connections all verified. */
	boolean isClean() {
		return this.leakReports == 0
				&& rows().stream().allMatch((row) -> row.errors() == 0 && row.mismatches() == 0 && row.throughput() > 0)
				&& this.memory.stream()
					.allMatch((row) -> row.errors() == 0 && row.mismatches() == 0 && row.verified() == row.requested());
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# Stamp benchmark results").append(this.options.smoke ? " (smoke mode: not a measurement)" : "")
			.append("\n\n");
		md.append("- Started: ").append(this.started.truncatedTo(ChronoUnit.SECONDS));
		if (this.finished != null) {
			md.append(", finished: ").append(this.finished.truncatedTo(ChronoUnit.SECONDS));
		}
		md.append(" (UTC)\n");
		md.append("- Run: ").append(this.options.describe()).append('\n');
		md.append("- Server JVM: Java ").append(this.serverJava)
			.append(", a separate process from the load generator; all traffic on 127.0.0.1\n");
		md.append(BenchmarkMain.machine());
		md.append('\n');
		List<Target> httpTargets = new ArrayList<>(List.of(new Target("stamp-blocking", "raw", 0.9),
				new Target("stamp-reactive", "raw", 0.9), new Target("stamp-blocking", "webflux", 1.0),
				new Target("stamp-reactive", "webflux", 1.0)));
		if (this.options.diagnostics) {
			httpTargets.add(new Target(BenchmarkMain.RAW_WITH_TIMEOUTS, "raw", 0));
			httpTargets.add(new Target("stamp-reactive", BenchmarkMain.RAW_WITH_TIMEOUTS, 0));
		}
		scenario(md, "http", "HTTP: `GET /hello`, 13-byte `text/plain` body, keep-alive", httpTargets);
		List<Target> tcpTargets = new ArrayList<>(
				List.of(new Target("stamp-blocking", "raw", 0.9), new Target("stamp-reactive", "raw", 0.9)));
		if (this.options.diagnostics) {
			tcpTargets.add(new Target(BenchmarkMain.REACTOR_NETTY_TCP, "raw", 0));
			tcpTargets.add(new Target("stamp-reactive", BenchmarkMain.REACTOR_NETTY_TCP, 0));
		}
		scenario(md, "tcp", "TCP echo: " + this.options.payload + "-byte message, wait for all bytes back",
				tcpTargets);
		scenario(md, "ws", "WebSocket echo: " + this.options.payload + "-byte text message, wait for the reply frame",
				List.of(new Target("stamp-blocking", "raw", 0.9), new Target("stamp-reactive", "raw", 0.9)));
		if (!this.memory.isEmpty()) {
			md.append("## Memory: ").append(this.options.idleConnections)
				.append(" idle WebSocket connections (one echo each, then idle)\n\n");
			md.append("| peer | connections verified / server sessions | heap after GC: before → with connections "
					+ "| heap per connection | RSS: before → with connections | RSS per connection |\n");
			md.append("|---|---|---|---|---|---|\n");
			for (MemoryRow row : this.memory) {
				md.append("| ").append(label("ws", row.peer())).append(" | ").append(row.verified()).append(" / ")
					.append(row.serverSessions()).append(" | ").append(mib(row.heapBefore())).append(" → ")
					.append(mib(row.heapAfter())).append(" | ").append(kib(row.heapPerConnection())).append(" | ")
					.append(mib(row.rssBefore())).append(" → ").append(mib(row.rssAfter())).append(" | ")
					.append(kib(row.rssPerConnection())).append(" |\n");
			}
			if (this.memory.size() == 2) {
				MemoryRow raw = this.memory.get(0);
				MemoryRow stamp = this.memory.get(1);
				md.append(String.format("%nStamp / raw: heap per connection %.2fx, RSS per connection %.2fx.%n",
						stamp.heapPerConnection() / raw.heapPerConnection(),
						stamp.rssPerConnection() / raw.rssPerConnection()));
			}
			md.append('\n');
		}
		md.append("Errors: ").append(totalErrors()).append(", byte mismatches: ").append(totalMismatches())
			.append(", Netty leak reports in server logs: ").append(this.leakReports).append(".\n");
		return md.toString();
	}

	private void scenario(StringBuilder md, String scenario, String title, List<Target> targets) {
		if (!this.results.containsKey(scenario)) {
			return;
		}
		md.append("## ").append(title).append(", ").append(this.options.connections).append(" connections\n\n");
		md.append("| peer | throughput (median, req/s) | p50 (µs) | p99 (µs) | server CPU per request (µs) "
				+ "| each round (req/s) | kernel softirq (cores) | background load (cores) | errors |\n");
		md.append("|---|---:|---:|---:|---:|---|---:|---:|---:|\n");
		for (Row row : rows()) {
			if (row.scenario().equals(scenario)) {
				md.append("| ").append(label(scenario, row.peer())).append(" | ")
					.append(String.format("%,.0f", row.throughput())).append(" | ")
					.append(String.format("%.0f", row.p50())).append(" | ")
					.append(String.format("%.0f", row.p99())).append(" | ")
					.append(String.format("%.1f", row.serverCpuPerRequest())).append(" | ")
					.append(row.perRound().stream().map((v) -> String.format("%,.0f", v)).collect(Collectors.joining(", ")))
					.append(" | ").append(String.format("%.2f", row.interruptCores()))
					.append(" | ").append(String.format("%.2f", row.otherCores()))
					.append(" | ").append(row.errors() + row.mismatches()).append(" |\n");
			}
		}
		md.append("\n| Stamp / peer | throughput ratio (of the medians) | throughput ratio (median of each round's) "
				+ "| target | met | p99 ratio (lower is better) | server CPU per request ratio (lower is better) |\n");
		md.append("|---|---:|---:|---:|:---:|---:|---:|\n");
		for (Target target : targets) {
			Row stamp = row(scenario, target.stamp());
			Row peer = row(scenario, target.peer());
			if (stamp == null || peer == null) {
				continue;
			}
			double ratio = stamp.throughput() / peer.throughput();
			double paired = pairedRatio(scenario, target.stamp(), target.peer());
			boolean diagnostic = target.ratio() == 0;
			String met = (ratio >= target.ratio() && paired >= target.ratio()) ? "yes"
					: (ratio >= target.ratio() || paired >= target.ratio()) ? "**borderline**" : "**no**";
			md.append("| ").append(diagnostic ? "_diagnostic:_ " : "").append(target.stamp()).append(" / ")
				.append(target.peer()).append(" | ").append(String.format("%.2fx", ratio)).append(" | ")
				.append(String.format("%.2fx", paired)).append(" | ")
				.append(diagnostic ? "–" : String.format("≥ %.1fx", target.ratio())).append(" | ")
				.append(diagnostic ? "–" : met).append(" | ")
				.append(String.format("%.2fx", stamp.p99() / peer.p99())).append(" | ")
				.append(String.format("%.2fx", stamp.serverCpuPerRequest() / peer.serverCpuPerRequest()))
				.append(" |\n");
		}
		md.append('\n');
	}

	/**
	 * The median over rounds of Stamp's throughput divided by the peer's in the same round: peers of one round run
	 * back to back, so this cancels drift in the machine's background load better than the ratio of the medians.
	 */
	private double pairedRatio(String scenario, String stamp, String peer) {
		List<LoadGenerator.Result> mine = this.results.get(scenario).get(stamp);
		List<LoadGenerator.Result> theirs = this.results.get(scenario).get(peer);
		int rounds = Math.min(mine.size(), theirs.size());
		double[] ratios = new double[rounds];
		for (int i = 0; i < rounds; i++) {
			ratios[i] = mine.get(i).throughput() / theirs.get(i).throughput();
		}
		Arrays.sort(ratios);
		return (rounds % 2 == 1) ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
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
			case BenchmarkMain.RAW_WITH_TIMEOUTS -> "_diagnostic:_ raw `HttpServer` + `idleTimeout` + `readTimeout` (as Stamp sets them)";
			case "stamp-blocking" -> "Stamp, blocking route";
			case "stamp-reactive" -> "Stamp, reactive route";
			case "stamp" -> "Stamp (`Mono<String>` route)";
			default -> peer;
		};
	}

	private static String mib(long bytes) {
		return String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
	}

	private static String kib(double bytes) {
		return String.format("%.2f KiB", bytes / 1024.0);
	}

	/** The median of the rounds for one scenario and peer; latencies in microseconds. */
	record Row(String scenario, String peer, double throughput, double p50, double p99, double serverCpuPerRequest,
			double interruptCores, double otherCores, long requests,
			long mismatches, long errors, List<Double> perRound, List<String> errorSamples) {
	}

	record MemoryRow(String peer, int requested, int verified, int serverSessions, long heapBefore, long heapAfter,
			long rssBefore, long rssAfter, long mismatches, long errors, List<String> errorSamples) {

		double heapPerConnection() {
			return (this.heapAfter - this.heapBefore) / (double) this.requested;
		}

		double rssPerConnection() {
			return (this.rssAfter - this.rssBefore) / (double) this.requested;
		}

	}

	record Target(String stamp, String peer, double ratio) {
	}

}
