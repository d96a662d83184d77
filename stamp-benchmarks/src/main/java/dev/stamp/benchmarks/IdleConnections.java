package dev.stamp.benchmarks;

import java.util.List;

/**
 * Connections (or sessions) of a memory scenario: opened, one checked echo each, then
 * left open and idle. Close them when the server's memory was measured.
 */
interface IdleConnections extends AutoCloseable {

	/** How many were asked for. */
	int requested();

	/** How many echoed correctly and are still open. */
	int verified();

	long mismatches();

	long errors();

	List<String> errorSamples();

	@Override
	void close();

}
