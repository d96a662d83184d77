package dev.stamp.boot.actuate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.ApplicationListener;

import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.listener.StampListenerEvent;

/**
 * Micrometer meters for every Stamp listener, tagged with {@code protocol} and
 * {@code listener} (its {@link StampListener#name() name}):
 * {@code stamp.connections.active}, {@code stamp.connections.max}, and the counters
 * {@code stamp.connections.accepted} and {@code stamp.connections.refused}, plus each
 * listener's protocol counters (for WebTransport {@code stamp.sessions.active},
 * {@code stamp.sessions.accepted}, {@code stamp.sessions.rejected},
 * {@code stamp.streams.incoming}, {@code stamp.streams.outgoing},
 * {@code stamp.datagrams.received}, {@code stamp.datagrams.sent}). They read the
 * listeners' own counters, so nothing is counted twice. Listeners added at run time get
 * their meters when they start; removed ones lose them when they stop.
 */
public class StampListenerMetrics implements MeterBinder, ApplicationListener<StampListenerEvent> {

	private final List<StampListener> listeners;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final Map<MeterRegistry, Map<StampListener, List<Meter>>> bound = new ConcurrentHashMap<>();

	/**
	 * Creates meters for listeners.
	 * @param listeners the listeners, read again whenever one starts or stops: a live
	 * view such as {@link dev.stamp.boot.listener.StampListenerRegistry#liveListeners()}
	 * gets meters for listeners added later and drops those of removed ones
	 */
	public StampListenerMetrics(List<StampListener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		synchronize(registry);
	}

	/**
	 * Binds the meters of listeners that appeared and removes those of listeners that are
	 * gone.
	 * @param event a listener started or stopped
	 */
	@Override
	public void onApplicationEvent(StampListenerEvent event) {
		for (MeterRegistry registry : this.registries) {
			synchronize(registry);
		}
	}

	private synchronized void synchronize(MeterRegistry registry) {
		Map<StampListener, List<Meter>> meters = this.bound.computeIfAbsent(registry, (key) -> new IdentityHashMap<>());
		Set<StampListener> current = Collections.newSetFromMap(new IdentityHashMap<>());
		current.addAll(this.listeners);
		for (StampListener listener : current) {
			meters.computeIfAbsent(listener, (key) -> bind(listener, registry));
		}
		meters.entrySet().removeIf((entry) -> {
			if (current.contains(entry.getKey())) {
				return false;
			}
			entry.getValue().forEach(registry::remove);
			return true;
		});
	}

	private static List<Meter> bind(StampListener listener, MeterRegistry registry) {
		List<Meter> meters = new ArrayList<>();
		Tags tags = Tags.of("protocol", listener.protocol().id(), "listener", listener.name());
		meters.add(Gauge.builder("stamp.connections.active", listener, (l) -> l.stats().activeConnections())
			.tags(tags)
			.description("Connections open now")
			.baseUnit("connections")
			.register(registry));
		meters.add(Gauge.builder("stamp.connections.max", listener, (l) -> l.stats().maxConnections())
			.tags(tags)
			.description("Connections allowed at once (max-connections)")
			.baseUnit("connections")
			.register(registry));
		meters
			.add(FunctionCounter.builder("stamp.connections.accepted", listener, (l) -> l.stats().acceptedConnections())
				.tags(tags)
				.description("Connections admitted since start")
				.baseUnit("connections")
				.register(registry));
		meters.add(FunctionCounter.builder("stamp.connections.refused", listener, (l) -> l.stats().refusedConnections())
			.tags(tags)
			.description("Connections refused because max-connections was reached")
			.baseUnit("connections")
			.register(registry));
		meters.add(FunctionCounter.builder("stamp.peer.errors", listener, (l) -> l.peerErrors().total())
			.tags(tags)
			.description("Errors peers caused: malformed input, protocol violations, stalled clients")
			.baseUnit("errors")
			.register(registry));
		for (String counter : listener.counters().keySet()) {
			String name = "stamp." + counter;
			if (counter.endsWith(".active")) {
				meters.add(Gauge.builder(name, listener, (l) -> l.counters().getOrDefault(counter, 0L))
					.tags(tags)
					.register(registry));
			}
			else {
				meters.add(FunctionCounter.builder(name, listener, (l) -> l.counters().getOrDefault(counter, 0L))
					.tags(tags)
					.register(registry));
			}
		}
		return meters;
	}

}
