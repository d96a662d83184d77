package dev.stamp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the fan-out figure with a handful of subscribers and messages, as CI does: a real
 * redis-server, two clustered Stamp nodes in server JVMs and raw Lettuce. Every
 * subscriber of every peer must receive every message once and in order, without errors;
 * nothing here looks at how fast anything was.
 */
class FanoutBenchmarkSmokeTests {

	@Test
	@Timeout(120)
	void everySubscriberOfEveryPeerReceivesEveryMessageInOrder() throws Exception {
		BenchmarkOptions options = BenchmarkOptions.smoke();
		options.scenarios = new LinkedHashSet<>(List.of(FanoutBenchmark.SCENARIO));
		options.output = Path.of("target", "benchmark-smoke-fanout.md");
		BenchmarkReport report = BenchmarkMain.run(options);

		FanoutReport fanout = new FanoutReport(report);
		for (String peer : FanoutBenchmark.PEERS) {
			List<FanoutBenchmark.Result> rounds = fanout.rounds(peer);
			assertThat(rounds).as("rounds of %s", peer).hasSize(options.fanoutRounds);
			for (FanoutBenchmark.Result result : rounds) {
				assertThat(result.errorSample()).as("errors of %s", peer).isEmpty();
				assertThat(result.errors()).as("errors of %s", peer).isZero();
				assertThat(result.mismatches()).as("messages out of order or twice, %s", peer).isZero();
				assertThat(result.lost()).as("deliveries lost, %s", peer).isZero();
				assertThat(result.delivered()).as("deliveries, %s", peer)
					.isEqualTo((long) options.fanoutSubscribers * options.fanoutMessages);
			}
		}
		assertThat(report.leakReports).as("Netty leak reports in the server logs").isZero();
		assertThat(report.isClean()).isTrue();
		assertThat(Files.readString(options.output)).contains("## Fan-out", "| stamp-two-nodes / stamp-one-node |",
				"| stamp-two-nodes / lettuce |");
	}

}
