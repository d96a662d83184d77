package dev.stamp.benchmarks;

import java.util.ArrayList;
import java.util.List;

import dev.stamp.benchmarks.BenchmarkReport.MemoryRow;
import dev.stamp.benchmarks.BenchmarkReport.Row;
import dev.stamp.benchmarks.BenchmarkReport.Target;

/**
 * The WebTransport sections of the report: every figure against the targets first, then a
 * table per figure with every peer and the Stamp / peer ratios.
 * <p>
 * Targets: at least {@value #RAW_QUIC_TARGET}x the raw QUIC echo's throughput, ahead of
 * Flupke on every figure, and five times the figures pywebtransport publishes.
 */
final class WebTransportReport {

	/** Stamp / raw QUIC on the throughput figures (streams, datagrams). */
	static final double RAW_QUIC_TARGET = 0.8;

	/** The bar is pywebtransport's published figures times this. */
	static final int PYWEBTRANSPORT_FACTOR = 5;

	/** pywebtransport: stream throughput, MB/s. */
	static final double PYWEBTRANSPORT_STREAM_MBPS = 28;

	/** pywebtransport: datagrams per second. */
	static final double PYWEBTRANSPORT_DATAGRAMS = 23_769;

	/** pywebtransport: new connections per second. */
	static final double PYWEBTRANSPORT_SESSIONS = 215;

	/** pywebtransport: handshake latency p50, milliseconds. */
	static final double PYWEBTRANSPORT_HANDSHAKE_MILLIS = 11;

	/** pywebtransport: memory per idle connection, KB (1,000 bytes). */
	static final double PYWEBTRANSPORT_IDLE_KB = 76;

	private final BenchmarkReport report;

	WebTransportReport(BenchmarkReport report) {
		this.report = report;
	}

	void appendTo(StringBuilder md) {
		boolean measured = WebTransportScenario.ids()
			.stream()
			.anyMatch((id) -> this.report.results.containsKey(id) || !this.report.memory(id).isEmpty());
		if (!measured) {
			return;
		}
		md.append("## WebTransport\n\n");
		md.append("Peers: the raw Netty QUIC echo (no HTTP/3: the limit), Stamp's built-in echo endpoint in a Spring "
				+ "Boot application, Flupke's WebTransport server with the same echo. Stamp and Flupke meet the same "
				+ "client, Stamp's own; the raw echo a raw Netty QUIC client built the same way. Every session on its "
				+ "own QUIC connection.\n\n");
		targets(md);
		for (WebTransportScenario scenario : WebTransportScenario.values()) {
			if (scenario != WebTransportScenario.MEMORY && this.report.results.containsKey(scenario.id())) {
				figure(md, scenario);
			}
		}
		this.report.memoryTable(md, WebTransportScenario.MEMORY.id(),
				"### " + WebTransportScenario.MEMORY.id() + ": " + this.report.options().wtIdleSessions
						+ " idle sessions, each on its own QUIC connection (one echo each, then idle)",
				"session", true);
	}

	private void targets(StringBuilder md) {
		MarkdownTable table = new MarkdownTable("figure", "comparison", ">target", ">measured", "^met");
		String stream = WebTransportScenario.STREAM.id();
		String stream16 = WebTransportScenario.STREAM16.id();
		String datagram = WebTransportScenario.DATAGRAM.id();
		String sessions = WebTransportScenario.SESSIONS.id();
		for (String figure : List.of(stream, stream16, datagram)) {
			ratio(table, figure, WebTransportScenario.RAW_QUIC, RAW_QUIC_TARGET);
			ratio(table, figure, WebTransportScenario.FLUPKE, 1.0);
		}
		ratio(table, sessions, WebTransportScenario.FLUPKE, 1.0);
		Row stampSessions = this.report.row(sessions, WebTransportScenario.STAMP);
		Row flupkeSessions = this.report.row(sessions, WebTransportScenario.FLUPKE);
		if (stampSessions != null && flupkeSessions != null) {
			double ratio = stampSessions.p50() / flupkeSessions.p50();
			table.row(sessions, "handshake p50, Stamp / Flupke", "≤ 1.0x", String.format("%.2fx", ratio),
					yesNo(ratio <= 1.0));
		}
		atLeast(table, stream,
				String.format("throughput, Stamp ≥ 5 × pywebtransport's %,.0f MB/s", PYWEBTRANSPORT_STREAM_MBPS),
				PYWEBTRANSPORT_STREAM_MBPS * PYWEBTRANSPORT_FACTOR);
		atLeast(table, datagram,
				String.format("throughput, Stamp ≥ 5 × pywebtransport's %,.0f datagrams/s", PYWEBTRANSPORT_DATAGRAMS),
				PYWEBTRANSPORT_DATAGRAMS * PYWEBTRANSPORT_FACTOR);
		atLeast(table, sessions,
				String.format("throughput, Stamp ≥ 5 × pywebtransport's %,.0f connections/s", PYWEBTRANSPORT_SESSIONS),
				PYWEBTRANSPORT_SESSIONS * PYWEBTRANSPORT_FACTOR);
		if (stampSessions != null) {
			double target = PYWEBTRANSPORT_HANDSHAKE_MILLIS / PYWEBTRANSPORT_FACTOR;
			double p50 = stampSessions.p50() / 1000;
			table.row(sessions,
					String.format("handshake p50, Stamp ≤ pywebtransport's %,.0f ms ÷ 5",
							PYWEBTRANSPORT_HANDSHAKE_MILLIS),
					String.format("≤ %.1f ms", target), String.format("%.2f ms", p50), yesNo(p50 <= target));
		}
		memoryTargets(table);
		if (!table.isEmpty()) {
			md.append("### Against the targets\n\n");
			table.appendTo(md);
		}
	}

	/** Stamp / peer throughput, of the medians and median of each round's. */
	private void ratio(MarkdownTable table, String figure, String peer, double target) {
		Row stamp = this.report.row(figure, WebTransportScenario.STAMP);
		Row other = this.report.row(figure, peer);
		if (stamp == null || other == null) {
			return;
		}
		double ratio = stamp.throughput() / other.throughput();
		double paired = this.report.pairedRatio(figure, WebTransportScenario.STAMP, peer);
		table.row(figure, "throughput, Stamp / " + peer, String.format("≥ %.1fx", target),
				String.format("%.2fx / %.2fx", ratio, paired), BenchmarkReport.met(ratio, paired, target));
	}

	private void atLeast(MarkdownTable table, String figure, String comparison, double target) {
		Row stamp = this.report.row(figure, WebTransportScenario.STAMP);
		if (stamp == null) {
			return;
		}
		Unit unit = WebTransportScenario.of(figure).unit();
		double value = stamp.throughput() / unit.operationsPerUnit();
		table.row(figure, comparison, "≥ " + unit.formatThroughput(target) + " " + unit.rate(),
				unit.formatThroughput(value) + " " + unit.rate(), yesNo(value >= target));
	}

	private void memoryTargets(MarkdownTable table) {
		String figure = WebTransportScenario.MEMORY.id();
		List<MemoryRow> rows = this.report.memory(figure);
		MemoryRow stamp = find(rows, WebTransportScenario.STAMP);
		if (stamp == null) {
			return;
		}
		MemoryRow flupke = find(rows, WebTransportScenario.FLUPKE);
		if (flupke != null) {
			double ratio = stamp.totalPerConnection() / flupke.totalPerConnection();
			table.row(figure, "heap + RSS per idle session, Stamp / Flupke", "≤ 1.0x", String.format("%.2fx", ratio),
					yesNo(ratio <= 1.0));
		}
		double target = PYWEBTRANSPORT_IDLE_KB * 1000 / PYWEBTRANSPORT_FACTOR;
		double perSession = stamp.totalPerConnection();
		table.row(figure,
				String.format("heap + RSS per idle session, Stamp ≤ pywebtransport's %,.0f KB ÷ 5",
						PYWEBTRANSPORT_IDLE_KB),
				String.format("≤ %.1f KB", target / 1000), String.format("%.1f KB", perSession / 1000),
				yesNo(perSession <= target));
	}

	private static MemoryRow find(List<MemoryRow> rows, String peer) {
		return rows.stream().filter((row) -> row.peer().equals(peer)).findFirst().orElse(null);
	}

	private static String yesNo(boolean met) {
		return met ? "yes" : "**no**";
	}

	private void figure(StringBuilder md, WebTransportScenario scenario) {
		String id = scenario.id();
		Unit unit = scenario.unit();
		md.append("### ").append(id).append(": ").append(title(scenario)).append("\n\n");
		boolean latency = scenario.latency() != null;
		// Handshakes are milliseconds, datagram round trips microseconds.
		boolean millis = scenario == WebTransportScenario.SESSIONS;
		String latencyUnit = millis ? "ms" : "µs";
		double latencyDivisor = millis ? 1000 : 1;
		List<String> columns = new ArrayList<>(List.of("peer", ">throughput (median, " + unit.rate() + ")"));
		if (latency) {
			columns.add(">" + scenario.latency() + " p50 (" + latencyUnit + ")");
			columns.add(">" + scenario.latency() + " p99 (" + latencyUnit + ")");
		}
		if (scenario == WebTransportScenario.DATAGRAM) {
			columns.add(">lost");
		}
		columns.addAll(List.of(">server CPU per " + unit.name() + " (µs)", "each round (" + unit.rate() + ")",
				">server (cores)", ">load generator (cores)", ">kernel softirq (cores)", ">background load (cores)",
				">errors"));
		MarkdownTable table = new MarkdownTable(columns.toArray(new String[0]));
		for (String peer : WebTransportScenario.PEERS) {
			Row row = this.report.row(id, peer);
			List<Object> cells = new ArrayList<>();
			cells.add(BenchmarkReport.label(id, peer));
			if (row == null) {
				if (!scenario.peers().contains(peer)) {
					cells.add("n/a: no WebTransport datagrams");
					while (cells.size() < columns.size()) {
						cells.add("–");
					}
					table.row(cells.toArray());
				}
				continue;
			}
			cells.add(unit.formatThroughput(row.throughput() / unit.operationsPerUnit()));
			if (latency) {
				cells.add(String.format(millis ? "%.2f" : "%.0f", row.p50() / latencyDivisor));
				cells.add(String.format(millis ? "%.2f" : "%.0f", row.p99() / latencyDivisor));
			}
			if (scenario == WebTransportScenario.DATAGRAM) {
				cells.add(String.format("%.3f %%", row.lossRate() * 100));
			}
			cells.addAll(List.of(String.format("%,.1f", row.serverCpuPerOperation() * unit.operationsPerUnit()),
					BenchmarkReport.perRound(row, unit), String.format("%.2f", row.serverCores()),
					String.format("%.2f", row.clientCores()), String.format("%.2f", row.interruptCores()),
					String.format("%.2f", row.otherCores()), row.errors() + row.mismatches()));
			table.row(cells.toArray());
		}
		table.appendTo(md);
		String latencyName = !latency ? null : (millis ? scenario.latency() + " p50" : scenario.latency() + " p99");
		List<BenchmarkReport.Comparison> comparisons = this.report.comparisons(id, targets(scenario),
				millis ? Row::p50 : Row::p99);
		this.report.comparisonTable(comparisons, unit, latencyName).appendTo(md);
		this.report.chartLink(md, id, comparisons);
	}

	/**
	 * The Stamp / peer comparisons of a figure: the raw QUIC echo (a target on the
	 * throughput figures, reported for sessions) and Flupke.
	 */
	static List<Target> targets(WebTransportScenario scenario) {
		boolean throughputFigure = scenario != WebTransportScenario.SESSIONS;
		return List.of(
				throughputFigure
						? new Target(WebTransportScenario.STAMP, WebTransportScenario.RAW_QUIC, RAW_QUIC_TARGET)
						: Target.reported(WebTransportScenario.STAMP, WebTransportScenario.RAW_QUIC),
				new Target(WebTransportScenario.STAMP, WebTransportScenario.FLUPKE, 1.0));
	}

	private static String title(WebTransportScenario scenario) {
		return switch (scenario) {
			case STREAM -> "stream echo, 1 session × " + WebTransportLoad.STREAMS_PER_SESSION
					+ " bidirectional streams, " + StreamEcho.CHUNK / 1024 + " KiB chunks, MB/s of echoed bytes";
			case STREAM16 -> "stream echo, 16 sessions (one QUIC connection each) × "
					+ WebTransportLoad.STREAMS_PER_SESSION + " streams, aggregate MB/s";
			case DATAGRAM -> "datagram echo, " + scenario.sessions() + " sessions × " + DatagramWindow.WINDOW + " × "
					+ DatagramWindow.SIZE + "-byte datagrams in flight, echoed datagrams/s";
			case SESSIONS -> scenario.sessions() + " workers: new QUIC connection + session + one "
					+ WebTransportLoad.MESSAGE + "-byte stream echo + close, sessions/s and handshake latency";
			case MEMORY -> "idle sessions";
		};
	}

}
