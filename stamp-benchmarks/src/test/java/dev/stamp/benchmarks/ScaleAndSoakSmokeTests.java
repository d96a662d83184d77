package dev.stamp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The opt-in scale and soak scenarios, tiny, so that they cannot rot: the scale ones with
 * 200 connections and sessions spread over several source addresses, the soak for 10 s.
 * Correctness only: every connection held and echoed, every byte checked, no error, no
 * leak; never how much memory or whether the heap stayed flat.
 */
class ScaleAndSoakSmokeTests {

	@Test
	@Timeout(150)
	void scaleScenariosHoldEveryConnectionFromSeveralSourceAddresses() throws Exception {
		BenchmarkOptions options = BenchmarkOptions.smoke();
		options.scenarios = new LinkedHashSet<>(List.of(BenchmarkOptions.SCALE_WS, BenchmarkOptions.SCALE_WT));
		options.scaleWsConnections = 200;
		options.scaleWtSessions = 200;
		// 100 client sockets, 64 per address: two addresses, each socket shared by two
		// sessions.
		options.scaleWtConnectionsPerSocket = 2;
		options.socketsPerAddress = 64;
		options.output = Path.of("target", "benchmark-smoke-scale.md");
		BenchmarkReport report = BenchmarkMain.run(options);

		assertHeld(report, BenchmarkOptions.SCALE_WS, BenchmarkMain.MEMORY_PEERS, 200);
		assertHeld(report, BenchmarkOptions.SCALE_WT, BenchmarkMain.SCALE_WT_PEERS, 200);
		assertThat(report.leakReports).as("Netty leak reports in the server logs").isZero();
		assertThat(report.isClean()).isTrue();
		assertThat(Files.readString(options.output)).contains("## Scale: 200 idle WebSocket connections",
				"## Scale: 200 idle WebTransport sessions", "4 source address(es) 127.0.0.2..127.0.0.5",
				"2 source address(es) 127.0.0.2..127.0.0.3", "2 client QUIC connections per UDP socket");
	}

	@Test
	@Timeout(120)
	void soakChecksEveryKindOfTrafficAndLeavesNothingBehind() throws Exception {
		BenchmarkOptions options = BenchmarkOptions.smoke();
		options.scenarios = new LinkedHashSet<>(List.of(BenchmarkOptions.SOAK));
		options.soakDuration = Duration.ofSeconds(10);
		options.output = Path.of("target", "benchmark-smoke-soak.md");
		BenchmarkReport report = BenchmarkMain.run(options);

		SoakResult soak = report.soak;
		assertThat(soak).isNotNull();
		for (String traffic : SoakResult.TRAFFIC) {
			Tally tally = soak.tallies().get(traffic);
			assertThat(tally.errorSamples).as("errors of %s", traffic).isEmpty();
			assertThat(tally.errors.get()).as("errors of %s", traffic).isZero();
			assertThat(tally.mismatches.get()).as("mismatches of %s", traffic).isZero();
			if (!traffic.startsWith("wt-")) {
				assertThat(tally.completed()).as("verified operations of %s", traffic).isPositive();
			}
		}
		// Streams and datagrams take turns: on a busy machine 10 s may see only one.
		assertThat(soak.tallies().get(SoakResult.WT_STREAM).completed()
				+ soak.tallies().get(SoakResult.WT_DATAGRAM).completed())
			.as("verified WebTransport bytes and datagrams")
			.isPositive();
		assertThat(soak.outcomes()).as("misbehaving clients' outcomes")
			.anyMatch((outcome) -> outcome.startsWith("slowloris"))
			.anyMatch((outcome) -> outcome.startsWith("never-reading WebSocket"))
			.anyMatch((outcome) -> outcome.startsWith("half-closed TCP"))
			.anyMatch((outcome) -> outcome.startsWith("abandoned WebTransport streams"));
		assertThat(soak.samples()).as("heap samples").hasSizeGreaterThanOrEqualTo(3);
		assertThat(soak.after().sessions()).as("WebSocket clients left on the server").isZero();
		assertThat(soak.leakReports()).as("Netty leak reports in the server log").isZero();
		// The server runs on this JVM's Java.
		assertThat(soak.serverJava()).isEqualTo(Runtime.version().toString());
		assertThat(Files.readString(options.output)).contains("## Soak: 10 s of mixed load",
				"- Server JVM: Java " + Runtime.version() + ",");
	}

	private static void assertHeld(BenchmarkReport report, String scenario, List<String> peers, int count) {
		List<BenchmarkReport.MemoryRow> rows = report.memory(scenario);
		assertThat(rows).extracting(BenchmarkReport.MemoryRow::peer).containsExactlyElementsOf(peers);
		for (BenchmarkReport.MemoryRow row : rows) {
			assertThat(row.errorSamples()).as("errors of %s/%s", scenario, row.peer()).isEmpty();
			assertThat(row.mismatches()).as("mismatches of %s/%s", scenario, row.peer()).isZero();
			assertThat(row.verified()).as("echoed and open, %s/%s", scenario, row.peer()).isEqualTo(count);
			assertThat(row.serverSessions()).as("server's count, %s/%s", scenario, row.peer()).isEqualTo(count);
		}
	}

}
