package dev.stamp.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The counters that the connections of one measurement share, and the measured phase cut
 * out of them: what completed between {@link #startPhase} and {@link #endPhase} is the
 * measurement, what came before was warm-up. Thread-safe; cheap enough for every
 * operation.
 */
class Tally {

	static final long HIGHEST_LATENCY = TimeUnit.SECONDS.toNanos(60);

	private final Recorder latencies = new Recorder(HIGHEST_LATENCY, 3);

	private final LongAdder completed = new LongAdder();

	private final LongAdder lost = new LongAdder();

	final AtomicLong mismatches = new AtomicLong();

	final AtomicLong errors = new AtomicLong();

	final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());

	/**
	 * Set when the measured phase is over: connections finish what they are doing and
	 * stop.
	 */
	volatile boolean stopping;

	/** Counts verified operations without a latency (echoed bytes). */
	void completed(long operations) {
		this.completed.add(operations);
	}

	/** Counts one verified operation and records its latency. */
	void completedWithLatency(long nanos) {
		this.latencies.recordValue(Math.min(nanos, HIGHEST_LATENCY));
		this.completed.increment();
	}

	/**
	 * Records a latency without counting an operation (the handshake part of a session).
	 */
	void recordLatency(long nanos) {
		this.latencies.recordValue(Math.min(nanos, HIGHEST_LATENCY));
	}

	long completed() {
		return this.completed.sum();
	}

	long lostCount() {
		return this.lost.sum();
	}

	void lost(long operations) {
		this.lost.add(operations);
	}

	void error(String message) {
		this.errors.incrementAndGet();
		if (this.errorSamples.size() < 5) {
			this.errorSamples.add(message);
		}
	}

	/** A reply that was not what was sent: counted as a mismatch and as an error. */
	void mismatch(String message) {
		this.mismatches.incrementAndGet();
		error(message);
	}

	/** Ends the warm-up: what completes from now on is measured. */
	Phase startPhase(CpuMeter cpu) {
		this.latencies.getIntervalHistogram();
		return new Phase(System.nanoTime(), this.completed.sum(), this.lost.sum(), cpu.snapshot());
	}

	/** Ends the measured phase. */
	Measured endPhase(Phase start, CpuMeter cpu) {
		Histogram histogram = this.latencies.getIntervalHistogram();
		long end = System.nanoTime();
		long operations = this.completed.sum() - start.completed();
		long lostOperations = this.lost.sum() - start.lost();
		CpuMeter.Usage usage = CpuMeter.between(start.cpu(), cpu.snapshot());
		return new Measured(operations, histogram, (end - start.nanoTime()) / 1e9, lostOperations, usage);
	}

	/**
	 * The measurement, with the errors of the whole run (warm-up and the orderly stop
	 * after the phase included).
	 */
	Measurement measurement(Measured measured) {
		return new Measurement(measured.operations(), measured.latency(), measured.seconds(), this.mismatches.get(),
				this.errors.get(), measured.lost(), List.copyOf(this.errorSamples), measured.cpu());
	}

	record Phase(long nanoTime, long completed, long lost, CpuMeter.Snapshot cpu) {
	}

	record Measured(long operations, Histogram latency, double seconds, long lost, CpuMeter.Usage cpu) {
	}

}
