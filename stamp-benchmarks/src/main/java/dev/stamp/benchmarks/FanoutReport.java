package dev.stamp.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.stamp.benchmarks.BenchmarkReport.Comparison;
import dev.stamp.benchmarks.BenchmarkReport.Target;

/**
 * The fan-out figure's part of the report: per peer the median of its rounds (delivered
 * messages per second, p50 and p99 end-to-end latency), what was lost or out of order,
 * and the ratios two nodes / one node and two nodes / raw Lettuce, also as a chart.
 */
final class FanoutReport {

	private final BenchmarkReport report;

	FanoutReport(BenchmarkReport report) {
		this.report = report;
	}

	/** The median round of a peer, by throughput, or {@code null} if it did not run. */
	FanoutBenchmark.@Nullable Result median(String peer) {
		List<FanoutBenchmark.Result> rounds = rounds(peer);
		if (rounds.isEmpty()) {
			return null;
		}
		List<FanoutBenchmark.Result> sorted = new ArrayList<>(rounds);
		sorted.sort((left, right) -> Double.compare(left.throughput(), right.throughput()));
		return sorted.get(sorted.size() / 2);
	}

	List<FanoutBenchmark.Result> rounds(String peer) {
		return this.report.fanout.stream()
			.filter((row) -> row.peer().equals(peer))
			.map(FanoutBenchmark.Row::result)
			.toList();
	}

	boolean isClean() {
		return this.report.fanout.stream().allMatch((row) -> row.result().isClean());
	}

	void appendTo(StringBuilder md) {
		if (this.report.fanout.isEmpty()) {
			return;
		}
		BenchmarkOptions options = this.report.options();
		md.append("## Fan-out: 1 publisher, ")
			.append(options.fanoutSubscribers)
			.append(" WebSocket subscribers in one room, ")
			.append(options.fanoutMessages)
			.append(" messages of ")
			.append(options.payload)
			.append(" bytes, at most ")
			.append(options.fanoutWindow)
			.append(" in flight\n\n");
		md.append("Stamp nodes: `stamp.cluster.publish-batch-size=")
			.append(options.fanoutBatchSize)
			.append("`; median round of ")
			.append(options.fanoutRounds)
			.append(" by delivered messages/s.\n\n");
		MarkdownTable table = new MarkdownTable("Peer", ">delivered msg/s", ">p50 ms", ">p99 ms", ">per round msg/s",
				">lost", ">out of order", ">errors");
		for (String peer : FanoutBenchmark.PEERS) {
			FanoutBenchmark.@Nullable Result median = median(peer);
			if (median != null) {
				List<FanoutBenchmark.Result> rounds = rounds(peer);
				table.row(peer, format("%.0f", median.throughput()), format("%.2f", median.p50Millis()),
						format("%.2f", median.p99Millis()),
						String.join(" / ", rounds.stream().map((r) -> format("%.0f", r.throughput())).toList()),
						rounds.stream().mapToLong(FanoutBenchmark.Result::lost).sum(),
						rounds.stream().mapToLong(FanoutBenchmark.Result::mismatches).sum(),
						rounds.stream().mapToLong(FanoutBenchmark.Result::errors).sum());
			}
		}
		table.appendTo(md);
		MarkdownTable ratios = new MarkdownTable("Ratio", ">throughput", ">p99 latency");
		for (Comparison comparison : comparisons()) {
			ratios.row(comparison.name(), format("%.2fx", comparison.ratio()),
					format("%.2fx", comparison.latencyRatio()));
		}
		ratios.appendTo(md);
		md.append("![fan-out ratios](").append(chartFile().getFileName()).append(")\n\n");
	}

	List<Comparison> comparisons() {
		List<Comparison> comparisons = new ArrayList<>();
		FanoutBenchmark.@Nullable Result twoNodes = median(FanoutBenchmark.TWO_NODES);
		for (String peer : List.of(FanoutBenchmark.ONE_NODE, FanoutBenchmark.LETTUCE)) {
			FanoutBenchmark.@Nullable Result other = median(peer);
			if (twoNodes != null && other != null) {
				double ratio = twoNodes.throughput() / other.throughput();
				comparisons.add(new Comparison(Target.reported(FanoutBenchmark.TWO_NODES, peer), null, null, ratio,
						ratio, twoNodes.p99Millis() / other.p99Millis(), Double.NaN));
			}
		}
		return comparisons;
	}

	/**
	 * Writes the chart of the ratios next to the report.
	 * @return the file written, or {@code null} if the figure did not run
	 */
	@Nullable Path writeChart() throws IOException {
		List<Comparison> comparisons = comparisons();
		if (comparisons.isEmpty()) {
			return null;
		}
		Path file = chartFile();
		BenchmarkOptions options = this.report.options();
		RatioChart.write(file, "Fan-out, " + options.fanoutSubscribers + " subscribers x " + options.fanoutMessages
				+ " messages, publish-batch-size " + options.fanoutBatchSize, comparisons);
		return file;
	}

	private Path chartFile() {
		return this.report.chartFile(FanoutBenchmark.SCENARIO);
	}

	private static String format(String format, double value) {
		return String.format(Locale.ROOT, format, value);
	}

}
