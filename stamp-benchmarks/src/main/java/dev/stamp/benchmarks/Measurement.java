package dev.stamp.benchmarks;

import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * What one measured phase of one peer produced, whatever the scenario: how many
 * operations completed correctly (requests, echoed bytes, echoed datagrams, sessions; see
 * {@link Unit}), their latencies where the scenario has one, what went wrong, and the CPU
 * time spent.
 *
 * @param operations operations completed and verified during the measured phase
 * @param latency latencies in nanoseconds (request round trip, datagram round trip,
 * session handshake); empty where the scenario measures none
 * @param seconds length of the measured phase
 * @param mismatches replies that were not byte-identical to what was expected
 * @param errors failures of any kind, mismatches included
 * @param lost operations given up on without a failure (datagrams that never came back)
 * @param errorSamples the first few error messages
 * @param cpu CPU use during the measured phase
 */
record Measurement(long operations, Histogram latency, double seconds, long mismatches, long errors, long lost,
		List<String> errorSamples, CpuMeter.Usage cpu) {

	double throughput() {
		return this.operations / this.seconds;
	}

	double p50Micros() {
		return this.latency.getValueAtPercentile(50) / 1000.0;
	}

	double p99Micros() {
		return this.latency.getValueAtPercentile(99) / 1000.0;
	}

	/** Server CPU time per operation, in microseconds; negative where unknown. */
	double serverCpuMicrosPerOperation() {
		return (this.cpu.serverSeconds() < 0 || this.operations == 0) ? -1
				: this.cpu.serverSeconds() * 1e6 / this.operations;
	}

	/** Share of the operations sent that were lost: lost / (completed + lost). */
	double lossRate() {
		long attempted = this.operations + this.lost;
		return (attempted == 0) ? 0 : this.lost / (double) attempted;
	}

}
