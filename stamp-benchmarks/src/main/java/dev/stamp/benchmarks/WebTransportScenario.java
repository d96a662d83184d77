package dev.stamp.benchmarks;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The WebTransport figures: what each measures, in which unit, against which peers. How
 * they are driven is {@link WebTransportLoad}; docs/benchmarks.md describes each
 * precisely.
 */
enum WebTransportScenario {

	/** Stream echo throughput over one session. */
	STREAM("wt-stream", Unit.MEGABYTES, null, 1),

	/** The same over 16 sessions, each on its own QUIC connection. */
	STREAM16("wt-stream16", Unit.MEGABYTES, null, 16),

	/**
	 * Datagram round trips per second, several sessions each keeping a window in flight.
	 */
	DATAGRAM("wt-datagram", Unit.DATAGRAMS, "round trip", 4),

	/** New sessions per second and the handshake latency, a few workers in a loop. */
	SESSIONS("wt-sessions", Unit.SESSIONS, "handshake", 4),

	/** Heap and RSS per idle session, a fresh server process per peer. */
	MEMORY("wt-memory", Unit.SESSIONS, null, 0);

	/** The raw Netty QUIC echo: the limit. */
	static final String RAW_QUIC = "raw-quic";

	/** Stamp's built-in echo endpoint in a Spring Boot application. */
	static final String STAMP = "stamp";

	/** Flupke's WebTransport server with an echo like Stamp's. */
	static final String FLUPKE = "flupke";

	static final List<String> PEERS = List.of(RAW_QUIC, STAMP, FLUPKE);

	/** The echo path on the WebTransport servers. */
	static final String ECHO_PATH = Payloads.ECHO_PATH;

	private final String id;

	private final Unit unit;

	private final @Nullable String latency;

	private final int sessions;

	WebTransportScenario(String id, Unit unit, @Nullable String latency, int sessions) {
		this.id = id;
		this.unit = unit;
		this.latency = latency;
		this.sessions = sessions;
	}

	/** The name on the command line and in the report. */
	String id() {
		return this.id;
	}

	Unit unit() {
		return this.unit;
	}

	/** What the latency histogram holds, or {@code null} if this figure records none. */
	@Nullable String latency() {
		return this.latency;
	}

	/** Sessions at once (stream and datagram figures) or workers (sessions figure). */
	int sessions() {
		return this.sessions;
	}

	/** The peers measured, in report order: Flupke has no WebTransport datagrams. */
	List<String> peers() {
		return (this == DATAGRAM) ? List.of(RAW_QUIC, STAMP) : PEERS;
	}

	static List<String> ids() {
		return Arrays.stream(values()).map(WebTransportScenario::id).toList();
	}

	static boolean isWebTransport(String scenario) {
		return scenario.startsWith("wt-");
	}

	static WebTransportScenario of(String id) {
		for (WebTransportScenario scenario : values()) {
			if (scenario.id.equals(id)) {
				return scenario;
			}
		}
		throw new IllegalArgumentException("No WebTransport scenario " + id);
	}

}
