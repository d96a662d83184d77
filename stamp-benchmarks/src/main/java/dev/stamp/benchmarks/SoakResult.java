package dev.stamp.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Soak} found: per kind of traffic what was verified and what went wrong,
 * the misbehaving clients' outcomes, the server's heap after GC over time, and the
 * verdict.
 * <p>
 * The heap is flat when the mean of the last third of the samples exceeds the mean of the
 * first third by less than {@link #FLAT_TOLERANCE_BYTES} or {@link #FLAT_TOLERANCE_SHARE}
 * of it, whichever is larger: samples are taken under load, so each holds the buffers of
 * whatever is in flight at that moment.
 *
 * @param duration how long the load ran
 * @param round length of a round of each kind of traffic
 * @param tallies per kind of traffic ({@link #TRAFFIC}), what it counted
 * @param outcomes the misbehaving clients' outcomes, "what: count"
 * @param samples the server's memory under load, one sample per period
 * @param after the server's memory once every client left
 * @param leakReports Netty leak reports in the server's log
 * @param serverJava the server JVM's version, as {@link ServerProcess#javaVersion()}
 * reports it
 */
record SoakResult(Duration duration, Duration round, Map<String, Tally> tallies, List<String> outcomes,
		List<Sample> samples, Sample after, int leakReports, String serverJava) {

	/** Chat-room traffic. */
	static final String ROOM = "ws-room";

	/** WebTransport stream echo, in bytes. */
	static final String WT_STREAM = "wt-stream (bytes)";

	/** WebTransport datagram echo. */
	static final String WT_DATAGRAM = "wt-datagram";

	/** The misbehaving clients: their echoes, and their failures to get one. */
	static final String MISBEHAVING = "misbehaving";

	/** Every kind of traffic, in report order. */
	static final List<String> TRAFFIC = List.of("http", "tcp", "ws", ROOM, WT_STREAM, WT_DATAGRAM, MISBEHAVING);

	static final long FLAT_TOLERANCE_BYTES = 8L * 1024 * 1024;

	static final double FLAT_TOLERANCE_SHARE = 0.10;

	/** The traffic name of a load generator protocol: its server port's prefix. */
	static String traffic(LoadGenerator.Kind kind) {
		return switch (kind) {
			case HTTP -> "http";
			case TCP -> "tcp";
			case WEBSOCKET -> "ws";
		};
	}

	/** Adds one round's measurement to a kind of traffic's total. */
	static void add(Tally total, Measurement measurement) {
		total.completed(measurement.operations());
		total.lost(measurement.lost());
		total.mismatches.addAndGet(measurement.mismatches());
		total.errors.addAndGet(measurement.errors());
		for (String sample : measurement.errorSamples()) {
			if (total.errorSamples.size() < 5) {
				total.errorSamples.add(sample);
			}
		}
	}

	long errors() {
		return this.tallies.values().stream().mapToLong((tally) -> tally.errors.get()).sum();
	}

	long mismatches() {
		return this.tallies.values().stream().mapToLong((tally) -> tally.mismatches.get()).sum();
	}

	/** Mean heap of the first third of the samples. */
	double heapFirstThird() {
		int third = Math.max(1, this.samples.size() / 3);
		return this.samples.subList(0, third).stream().mapToLong(Sample::heap).average().orElse(0);
	}

	/** Mean heap of the last third of the samples. */
	double heapLastThird() {
		int third = Math.max(1, this.samples.size() / 3);
		return this.samples.subList(this.samples.size() - third, this.samples.size())
			.stream()
			.mapToLong(Sample::heap)
			.average()
			.orElse(0);
	}

	/** Least-squares slope of heap after GC over time, bytes per minute. */
	double heapSlopePerMinute() {
		int n = this.samples.size();
		if (n < 2) {
			return 0;
		}
		double meanT = this.samples.stream().mapToDouble(Sample::seconds).average().orElse(0);
		double meanH = this.samples.stream().mapToLong(Sample::heap).average().orElse(0);
		double covariance = 0;
		double variance = 0;
		for (Sample sample : this.samples) {
			covariance += (sample.seconds() - meanT) * (sample.heap() - meanH);
			variance += (sample.seconds() - meanT) * (sample.seconds() - meanT);
		}
		return (variance == 0) ? 0 : covariance / variance * 60;
	}

	/** Whether the heap after GC stayed flat (see the class description). */
	boolean heapFlat() {
		if (this.samples.size() < 3) {
			return false;
		}
		double first = heapFirstThird();
		return heapLastThird() - first < Math.max(FLAT_TOLERANCE_BYTES, FLAT_TOLERANCE_SHARE * first);
	}

	/**
	 * Heap flat, no leak reports, no errors, no mismatches, and no WebSocket client left
	 * on the server once every client was gone.
	 */
	boolean passed() {
		return heapFlat() && this.leakReports == 0 && errors() == 0 && mismatches() == 0 && this.after.sessions() == 0;
	}

	/** The report's soak section. */
	void appendTo(StringBuilder md) {
		md.append("## Soak: ")
			.append(this.duration.toSeconds())
			.append(" s of mixed load on one Stamp server (all four protocols), rounds of ")
			.append(this.round.toMillis() / 1000.0)
			.append(" s\n\n");
		md.append("**")
			.append(passed() ? "PASS" : "FAIL")
			.append("** on heap flat, no leaks, no errors, no mismatches: heap ")
			.append(heapFlat() ? "flat" : "**not flat**")
			.append(", ")
			.append(this.leakReports)
			.append(" leak reports, ")
			.append(errors())
			.append(" errors, ")
			.append(mismatches())
			.append(" mismatches, ")
			.append(this.after.sessions())
			.append(" WebSocket clients left on the server after the clients were gone.\n\n");
		MarkdownTable traffic = new MarkdownTable("traffic", ">verified", ">lost (datagrams)", ">mismatches", ">errors",
				"first errors");
		for (String name : TRAFFIC) {
			Tally tally = this.tallies.get(name);
			traffic.row(name, String.format("%,d", tally.completed()), String.format("%,d", tally.lostCount()),
					tally.mismatches.get(), tally.errors.get(), String.join("; ", tally.errorSamples));
		}
		traffic.appendTo(md);
		md.append("Verified: HTTP responses, TCP and WebSocket echoes, room deliveries (each message to each member), "
				+ "WebTransport echoed stream bytes and datagrams, the misbehaving clients' echoes.\n\n");
		if (!this.outcomes.isEmpty()) {
			md.append("Misbehaving clients, by what the server did:\n\n");
			for (String outcome : this.outcomes) {
				md.append("- ").append(outcome).append('\n');
			}
			md.append('\n');
		}
		MarkdownTable heap = new MarkdownTable(">t (s)", ">heap after GC", ">RSS", ">WebSocket clients");
		for (Sample sample : this.samples) {
			heap.row(String.format("%.0f", sample.seconds()), BenchmarkReport.mib(sample.heap()),
					BenchmarkReport.mib(sample.rss()), sample.sessions());
		}
		heap.row("after, clients gone", BenchmarkReport.mib(this.after.heap()), BenchmarkReport.mib(this.after.rss()),
				this.after.sessions());
		heap.appendTo(md);
		md.append(String.format(
				"Heap after GC: first third %s, last third %s (%+.1f MiB; flat below %+.1f MiB), slope %+.2f MiB/min "
						+ "over %d samples.%n%n",
				BenchmarkReport.mib((long) heapFirstThird()), BenchmarkReport.mib((long) heapLastThird()),
				(heapLastThird() - heapFirstThird()) / 1024 / 1024,
				Math.max(FLAT_TOLERANCE_BYTES, FLAT_TOLERANCE_SHARE * heapFirstThird()) / 1024 / 1024,
				heapSlopePerMinute() / 1024 / 1024, this.samples.size()));
	}

	/**
	 * The server's memory at one moment.
	 *
	 * @param seconds since the soak started
	 * @param heap heap used after a forced GC
	 * @param rss resident set size
	 * @param sessions WebSocket clients the server counts
	 */
	record Sample(double seconds, long heap, long rss, int sessions) {
	}

}
