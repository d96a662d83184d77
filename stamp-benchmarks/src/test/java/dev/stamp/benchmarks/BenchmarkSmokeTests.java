package dev.stamp.benchmarks;

import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the benchmark harness in smoke mode, as CI does, so that it cannot rot: every
 * HTTP, TCP and WebSocket scenario and peer must produce a row with traffic, every echo
 * must come back byte-identical, and the memory path must hold its idle connections.
 * Nothing here looks at how fast anything was. The WebTransport figures have
 * {@link WebTransportBenchmarkSmokeTests}.
 */
class BenchmarkSmokeTests {

	@Test
	@Timeout(120)
	void smokeRunProducesARowForEveryScenarioAndPeer() throws Exception {
		BenchmarkOptions options = BenchmarkOptions.smoke();
		options.scenarios = new LinkedHashSet<>(BenchmarkOptions.CLASSIC_SCENARIOS);
		BenchmarkReport report = BenchmarkMain.run(options);

		for (String peer : BenchmarkMain.HTTP_PEERS) {
			assertRow(report, "http", peer);
		}
		for (String scenario : List.of("tcp", "ws")) {
			for (String peer : BenchmarkMain.ECHO_PEERS) {
				assertRow(report, scenario, peer);
			}
		}
		assertThat(report.memory).extracting(BenchmarkReport.MemoryRow::peer)
			.containsExactlyElementsOf(BenchmarkMain.MEMORY_PEERS);
		for (BenchmarkReport.MemoryRow row : report.memory) {
			assertThat(row.errorSamples()).as("errors of memory/%s", row.peer()).isEmpty();
			assertThat(row.mismatches()).as("byte mismatches of memory/%s", row.peer()).isZero();
			assertThat(row.verified()).as("idle connections echoed correctly, memory/%s", row.peer())
				.isEqualTo(options.idleConnections);
			assertThat(row.serverSessions()).as("sessions the %s server counts", row.peer())
				.isEqualTo(options.idleConnections);
			assertThat(row.heapAfter()).isPositive();
			assertThat(row.rssAfter()).isPositive();
		}
		assertThat(report.leakReports).as("Netty leak reports in the server logs").isZero();
		assertThat(report.isClean()).isTrue();
		String markdown = Files.readString(options.output);
		assertThat(markdown).contains("| stamp-reactive / raw |", "| stamp-blocking / webflux |", "## Memory");
	}

	private static void assertRow(BenchmarkReport report, String scenario, String peer) {
		BenchmarkReport.Row row = report.row(scenario, peer);
		assertThat(row).as("row for %s/%s", scenario, peer).isNotNull();
		assertThat(row.errorSamples()).as("errors of %s/%s", scenario, peer).isEmpty();
		assertThat(row.errors()).as("errors of %s/%s", scenario, peer).isZero();
		assertThat(row.mismatches()).as("byte mismatches of %s/%s", scenario, peer).isZero();
		assertThat(row.operations()).as("requests answered by %s/%s", scenario, peer).isPositive();
		assertThat(row.throughput()).as("throughput of %s/%s", scenario, peer).isPositive();
	}

}
