package dev.stamp.benchmarks;

/**
 * What a scenario's throughput counts, for logs and tables:
 * {@link Measurement#operations()} divided by {@code operationsPerUnit} (for example
 * bytes, counted in MB).
 *
 * @param name the unit, singular ("request", "MB")
 * @param rate the throughput's label ("req/s", "MB/s")
 * @param operationsPerUnit operations in one unit
 * @param format how a throughput in units per second is printed
 */
record Unit(String name, String rate, double operationsPerUnit, String format) {

	static final Unit REQUESTS = new Unit("request", "req/s", 1, "%,.0f");

	/**
	 * Stream bytes, in decimal megabytes (pywebtransport's MB/s figures are decimal too).
	 */
	static final Unit MEGABYTES = new Unit("MB", "MB/s", 1e6, "%,.1f");

	static final Unit DATAGRAMS = new Unit("datagram", "datagrams/s", 1, "%,.0f");

	static final Unit SESSIONS = new Unit("session", "sessions/s", 1, "%,.0f");

	double throughput(Measurement measurement) {
		return measurement.throughput() / this.operationsPerUnit;
	}

	String formatThroughput(double unitsPerSecond) {
		return String.format(this.format, unitsPerSecond);
	}

	/** Server CPU time per unit, in microseconds; negative where unknown. */
	double serverCpuMicros(Measurement measurement) {
		double perOperation = measurement.serverCpuMicrosPerOperation();
		return (perOperation < 0) ? perOperation : perOperation * this.operationsPerUnit;
	}

}
