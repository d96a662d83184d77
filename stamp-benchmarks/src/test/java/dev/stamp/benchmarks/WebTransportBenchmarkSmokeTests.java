package dev.stamp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the WebTransport figures in smoke mode, as CI does: every figure and peer must
 * produce a row with traffic, every echoed byte and datagram must come back as sent, and
 * the memory figure must hold all its idle sessions, counted by the load generator and by
 * the server. Nothing here looks at how fast anything was.
 */
class WebTransportBenchmarkSmokeTests {

	@Test
	@Timeout(120)
	void smokeRunProducesARowForEveryFigureAndPeer() throws Exception {
		BenchmarkOptions options = BenchmarkOptions.smoke();
		options.scenarios = new LinkedHashSet<>(WebTransportScenario.ids());
		options.output = Path.of("target", "benchmark-smoke-webtransport.md");
		BenchmarkReport report = BenchmarkMain.run(options);

		for (WebTransportScenario scenario : WebTransportScenario.values()) {
			if (scenario != WebTransportScenario.MEMORY) {
				for (String peer : scenario.peers()) {
					assertRow(report, scenario.id(), peer);
				}
			}
		}
		assertThat(report.row(WebTransportScenario.DATAGRAM.id(), WebTransportScenario.FLUPKE))
			.as("Flupke has no WebTransport datagrams")
			.isNull();
		assertThat(report.memory(WebTransportScenario.MEMORY.id())).extracting(BenchmarkReport.MemoryRow::peer)
			.containsExactlyElementsOf(WebTransportScenario.PEERS);
		for (BenchmarkReport.MemoryRow row : report.memory(WebTransportScenario.MEMORY.id())) {
			assertThat(row.errorSamples()).as("errors of wt-memory/%s", row.peer()).isEmpty();
			assertThat(row.mismatches()).as("byte mismatches of wt-memory/%s", row.peer()).isZero();
			assertThat(row.verified()).as("idle sessions echoed correctly, wt-memory/%s", row.peer())
				.isEqualTo(options.wtIdleSessions);
			assertThat(row.serverSessions()).as("sessions the %s server counts", row.peer())
				.isEqualTo(options.wtIdleSessions);
			assertThat(row.heapAfter()).isPositive();
			assertThat(row.rssAfter()).isPositive();
		}
		assertThat(report.leakReports).as("Netty leak reports in the server logs").isZero();
		String markdown = Files.readString(options.output);
		assertThat(markdown).contains("## WebTransport", "### Against the targets", "| stamp / raw-quic |",
				"| stamp / flupke |", "n/a: no WebTransport datagrams", "### wt-memory");
	}

	private static void assertRow(BenchmarkReport report, String scenario, String peer) {
		BenchmarkReport.Row row = report.row(scenario, peer);
		assertThat(row).as("row for %s/%s", scenario, peer).isNotNull();
		if (!peer.equals(WebTransportScenario.FLUPKE)) {
			// Flupke's server now and then never finishes one echo (its send side stalls,
			// see docs/benchmarks.md):
			// counted as an error of that peer, which must not fail CI. Wrong bytes still
			// do.
			assertThat(row.errorSamples()).as("errors of %s/%s", scenario, peer).isEmpty();
			assertThat(row.errors()).as("errors of %s/%s", scenario, peer).isZero();
		}
		assertThat(row.mismatches()).as("byte mismatches of %s/%s", scenario, peer).isZero();
		assertThat(row.operations()).as("operations completed with %s/%s", scenario, peer).isPositive();
		assertThat(row.throughput()).as("throughput of %s/%s", scenario, peer).isPositive();
	}

}
