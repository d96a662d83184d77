package dev.stamp.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The measurement schedule of every throughput scenario: one unrecorded pre-warm pass
 * over every peer, so that no peer of round 1 meets a cold JIT, then rounds in which each
 * peer of each scenario is measured once (a discarded warm-up, then the measured phase).
 * Peer order alternates between rounds, forward then reversed, to cancel drift; the
 * report takes the median of the rounds.
 */
final class Rounds {

	private final Schedule schedule;

	private final Function<String, List<String>> peers;

	private final Function<String, Unit> units;

	Rounds(Schedule schedule, Function<String, List<String>> peers, Function<String, Unit> units) {
		this.schedule = schedule;
		this.peers = peers;
		this.units = units;
	}

	/**
	 * Runs the schedule over these scenarios and adds every round's measurement to the
	 * report.
	 */
	void run(List<String> scenarios, Measure measure, BenchmarkReport report) throws Exception {
		if (!this.schedule.prewarm().isZero()) {
			for (String scenario : scenarios) {
				Unit unit = this.units.apply(scenario);
				for (String peer : this.peers.apply(scenario)) {
					Measurement result = measure.run(scenario, peer, Duration.ZERO, this.schedule.prewarm());
					BenchmarkMain.log(String.format("pre-warm %-11s %-15s %s %s (not recorded)", scenario, peer,
							unit.formatThroughput(unit.throughput(result)), unit.rate()));
				}
			}
		}
		for (int round = 0; round < this.schedule.rounds(); round++) {
			for (String scenario : scenarios) {
				List<String> order = new ArrayList<>(this.peers.apply(scenario));
				if (round % 2 == 1) {
					Collections.reverse(order);
				}
				for (String peer : order) {
					Measurement result = measure.run(scenario, peer, this.schedule.warmup(), this.schedule.measure());
					report.add(scenario, peer, result);
					BenchmarkMain.log("round " + (round + 1) + " " + describe(scenario, peer, result));
				}
			}
		}
	}

	private String describe(String scenario, String peer, Measurement result) {
		Unit unit = this.units.apply(scenario);
		StringBuilder line = new StringBuilder(String.format("%-11s %-15s %10s %s", scenario, peer,
				unit.formatThroughput(unit.throughput(result)), unit.rate()));
		if (result.latency().getTotalCount() > 0) {
			line.append(String.format("  p50 %7.0f us  p99 %7.0f us", result.p50Micros(), result.p99Micros()));
		}
		if (result.lost() > 0) {
			line.append(String.format("  lost %d (%.3f %%)", result.lost(), result.lossRate() * 100));
		}
		line.append(String.format("  server %5.1f us CPU/%s, cores: server %.2f client %.2f softirq %.2f other %.2f",
				unit.serverCpuMicros(result), unit.name(), result.cpu().serverCores(), result.cpu().clientCores(),
				result.cpu().interruptCores(), result.cpu().otherCores()));
		if (result.errors() + result.mismatches() > 0) {
			line.append("  errors ").append(result.errors()).append(' ').append(result.errorSamples());
		}
		return line.toString();
	}

	/**
	 * Measures one peer of one scenario: a discarded warm-up, then the measured phase.
	 */
	@FunctionalInterface
	interface Measure {

		Measurement run(String scenario, String peer, Duration warmup, Duration measure) throws Exception;

	}

	/**
	 * The rounds of a measurement and the length of each of its phases.
	 *
	 * @param rounds measured rounds
	 * @param prewarm length of the unrecorded pass per peer; zero skips it
	 * @param warmup discarded phase per peer per round
	 * @param measure measured phase per peer per round
	 */
	record Schedule(int rounds, Duration prewarm, Duration warmup, Duration measure) {
	}

}
