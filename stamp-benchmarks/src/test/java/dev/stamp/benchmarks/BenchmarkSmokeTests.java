package dev.stamp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the benchmark harness in smoke mode, as CI does, so that it cannot rot: every
 * HTTP, TCP and WebSocket scenario and peer (Tomcat and plain Java ones included; the
 * virtual-thread ones only on Java 21+, marked n/a elsewhere) must produce a row with
 * traffic, every echo must come back byte-identical, the memory path must hold its idle
 * connections, and every scenario's ratio chart must be written. Nothing here looks at
 * how fast anything was. The WebTransport figures have
 * {@link WebTransportBenchmarkSmokeTests}.
 */
class BenchmarkSmokeTests {

	@Test
	@Timeout(120)
	void smokeRunProducesARowForEveryScenarioAndPeer() throws Exception {
		BenchmarkOptions options = BenchmarkOptions.smoke();
		options.scenarios = new LinkedHashSet<>(BenchmarkOptions.CLASSIC_SCENARIOS);
		BenchmarkReport report = BenchmarkMain.run(options);

		String markdown = Files.readString(options.output);
		Map<String, List<String>> peers = Map.of("http", BenchmarkMain.HTTP_PEERS, "tcp", BenchmarkMain.TCP_PEERS, "ws",
				BenchmarkMain.WEBSOCKET_PEERS);
		peers.forEach((scenario, names) -> {
			for (String peer : names) {
				if (BenchmarkMain.VIRTUAL_THREAD_PEERS.contains(peer) && Runtime.version().feature() < 21) {
					assertThat(report.row(scenario, peer)).as("row for %s/%s", scenario, peer).isNull();
					assertThat(markdown).contains("| " + BenchmarkReport.label(scenario, peer) + " | n/a (JDK "
							+ Runtime.version().feature() + ") |");
				}
				else {
					assertRow(report, scenario, peer);
				}
			}
		});
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
		assertThat(markdown).contains("| stamp-reactive / raw |", "| stamp-blocking / webflux |",
				"| stamp-blocking / tomcat-mvc |", "| stamp-blocking / tomcat-websocket |",
				"| stamp-blocking / java-socket |", "## Memory");
		for (String scenario : peers.keySet()) {
			Path chart = report.chartFile(scenario);
			assertThat(chart).as("chart of %s", scenario).isNotEmptyFile();
			assertThat(Files.readAllBytes(chart)).as("chart of %s", scenario)
				.startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
			assertThat(markdown).contains("](" + chart.getFileName() + ")");
		}
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
