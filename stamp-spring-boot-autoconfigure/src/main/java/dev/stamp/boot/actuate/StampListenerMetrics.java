package dev.stamp.boot.actuate;

import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.stamp.boot.listener.StampListener;

/**
 * Micrometer meters for every Stamp listener, tagged with {@code protocol}:
 * {@code stamp.connections.active}, {@code stamp.connections.max}, and the counters
 * {@code stamp.connections.accepted} and {@code stamp.connections.refused}, plus each
 * listener's protocol counters (for WebTransport {@code stamp.sessions.active},
 * {@code stamp.sessions.accepted}, {@code stamp.sessions.rejected},
 * {@code stamp.streams.incoming}, {@code stamp.streams.outgoing},
 * {@code stamp.datagrams.received}, {@code stamp.datagrams.sent}). They read the
 * listeners' own counters, so nothing is counted twice.
 */
public class StampListenerMetrics implements MeterBinder {

	private final List<StampListener> listeners;

	public StampListenerMetrics(List<StampListener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (StampListener listener : this.listeners) {
			Tags tags = Tags.of("protocol", listener.protocol().id());
			Gauge.builder("stamp.connections.active", listener, (l) -> l.stats().activeConnections())
				.tags(tags)
				.description("Connections open now")
				.baseUnit("connections")
				.register(registry);
			Gauge.builder("stamp.connections.max", listener, (l) -> l.stats().maxConnections())
				.tags(tags)
				.description("Connections allowed at once (max-connections)")
				.baseUnit("connections")
				.register(registry);
			FunctionCounter.builder("stamp.connections.accepted", listener, (l) -> l.stats().acceptedConnections())
				.tags(tags)
				.description("Connections admitted since start")
				.baseUnit("connections")
				.register(registry);
			FunctionCounter.builder("stamp.connections.refused", listener, (l) -> l.stats().refusedConnections())
				.tags(tags)
				.description("Connections refused because max-connections was reached")
				.baseUnit("connections")
				.register(registry);
			FunctionCounter.builder("stamp.peer.errors", listener, (l) -> l.peerErrors().total())
				.tags(tags)
				.description("Errors peers caused: malformed input, protocol violations, stalled clients")
				.baseUnit("errors")
				.register(registry);
			for (String counter : listener.counters().keySet()) {
				String name = "stamp." + counter;
				if (counter.endsWith(".active")) {
					Gauge.builder(name, listener, (l) -> l.counters().getOrDefault(counter, 0L))
						.tags(tags)
						.register(registry);
				}
				else {
					FunctionCounter.builder(name, listener, (l) -> l.counters().getOrDefault(counter, 0L))
						.tags(tags)
						.register(registry);
				}
			}
		}
	}

}
