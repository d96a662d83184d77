package dev.stamp.boot.listener;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import dev.stamp.boot.StampProtocol;
import dev.stamp.core.ConnectionStats;

/**
 * Every Stamp listener of the application: each protocol's main listener (a bean the
 * application context starts and stops), its
 * {@code stamp.<protocol>.additional-listeners} and the listeners {@link #add added} at
 * run time. The registry starts and stops the listeners it holds with the application
 * context, in the listeners' phase; health, metrics, the monitor and the {@code stamp}
 * actuator endpoint see all of them, added and removed ones included.
 * <p>
 * Listeners other than the main ones are numbered per protocol from 0 in the order they
 * are created, configured ones first, and numbers are not reused: listener {@code n} is
 * named {@code <protocol>-<n>} and publishes its port as
 * {@code local.stamp.<protocol>.additional-listeners[<n>].port}.
 */
public class StampListenerRegistry implements SmartLifecycle {

	private final ObjectProvider<StampListener> beans;

	private final ObjectProvider<StampListenerFactory<?>> factories;

	private final List<AbstractStampListener> owned = new CopyOnWriteArrayList<>();

	private final Map<StampProtocol, AtomicInteger> indexes = new EnumMap<>(StampProtocol.class);

	private final List<StampListener> liveListeners = new LiveListeners();

	private volatile @Nullable List<StampListener> startedBeans;

	private boolean additionalListenersCreated;

	private volatile boolean running;

	/**
	 * Creates a registry.
	 * @param beans the listener beans, looked up when the registry starts
	 * @param factories each protocol's listener factory, looked up when the registry
	 * starts or a listener is added
	 */
	public StampListenerRegistry(ObjectProvider<StampListener> beans,
			ObjectProvider<StampListenerFactory<?>> factories) {
		this.beans = beans;
		this.factories = factories;
	}

	/**
	 * Creates a listener of a protocol, with the same routes as the protocol's other
	 * listeners, and starts it if the application context is running (otherwise it starts
	 * with the context). Like every listener it starts only if the protocol has routes or
	 * its settings say {@code enabled}; check {@link StampListener#isRunning()}.
	 * @param protocol the protocol
	 * @param settings its settings, of the protocol's type ({@code TcpListenerSettings},
	 * {@code WebSocketListenerSettings}, {@code HttpListenerSettings},
	 * {@code WebTransportListenerSettings}); read when the listener starts
	 * @return the listener
	 * @throws DuplicateListenerException if a listener of the same transport already
	 * holds the host and port
	 * @throws IllegalArgumentException if the settings are of another protocol, or the
	 * protocol's auto-configuration is off
	 * @throws ListenerPortInUseException if another process holds the port
	 */
	public synchronized StampListener add(StampProtocol protocol, ListenerSettings settings) {
		createAdditionalListeners();
		StampListenerFactory<?> factory = factory(protocol);
		if (factory == null) {
			throw new IllegalArgumentException("No " + protocol.id() + " listeners can be added: stamp." + protocol.id()
					+ ".enabled is false or its auto-configuration is excluded");
		}
		return addAndStart(factory, settings, this.running);
	}

	private AbstractStampListener addAndStart(StampListenerFactory<?> factory, ListenerSettings settings,
			boolean start) {
		refuseDuplicate(factory.protocol(), settings);
		AbstractStampListener listener = factory.create(settings);
		listener.useAdditionalIndex(
				this.indexes.computeIfAbsent(factory.protocol(), (protocol) -> new AtomicInteger()).getAndIncrement());
		this.owned.add(listener);
		if (start) {
			try {
				listener.start();
			}
			catch (RuntimeException ex) {
				this.owned.remove(listener);
				throw ex;
			}
		}
		return listener;
	}

	private void refuseDuplicate(StampProtocol protocol, ListenerSettings settings) {
		if (settings.getPort() == 0) {
			return;
		}
		for (StampListener listener : listeners()) {
			if (isUdp(listener.protocol()) == isUdp(protocol) && portOf(listener) == settings.getPort()
					&& overlap(listener.host(), settings.getHost())) {
				throw new DuplicateListenerException(protocol, settings.getHost(), settings.getPort(), listener);
			}
		}
	}

	private static boolean isUdp(StampProtocol protocol) {
		return protocol == StampProtocol.WEBTRANSPORT;
	}

	private static boolean overlap(String host, String other) {
		return host.equals(other) || isWildcard(host) || isWildcard(other);
	}

	private static boolean isWildcard(String host) {
		return "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
	}

	/**
	 * The bound port while listening, the configured one otherwise.
	 * @param listener the listener
	 * @return its port
	 */
	private static int portOf(StampListener listener) {
		return listener.isRunning() ? listener.port() : listener.settings().getPort();
	}

	/**
	 * Stops one of the listeners this registry holds (additional or added) gracefully, as
	 * the application context would: it stops accepting at once, in-flight work gets the
	 * grace period ({@code stamp.shutdown.grace-period}), then the port is free. It
	 * leaves health, metrics and the actuator endpoint as soon as the call starts. Blocks
	 * until the listener is stopped: do not call it on an event loop. The main listener
	 * of a protocol is not removed here; it stops with the application context.
	 * @param protocol the listener's protocol
	 * @param host its configured host
	 * @param port its bound port (or configured port, if it is not listening)
	 * @return {@code true} if a listener was removed, {@code false} if this registry
	 * holds none on that address
	 */
	public boolean remove(StampProtocol protocol, String host, int port) {
		AbstractStampListener listener = null;
		synchronized (this) {
			for (AbstractStampListener candidate : this.owned) {
				if (candidate.protocol() == protocol && candidate.host().equals(host) && portOf(candidate) == port) {
					listener = candidate;
					break;
				}
			}
			if (listener == null) {
				return false;
			}
			this.owned.remove(listener);
		}
		listener.stop();
		return true;
	}

	/**
	 * Every listener now: the main listeners first, then the others in the order they
	 * were created.
	 * @return a snapshot of the listeners
	 */
	public List<StampListener> listeners() {
		List<StampListener> beans = this.startedBeans;
		List<StampListener> all = new ArrayList<>((beans != null) ? beans : this.beans.orderedStream().toList());
		all.addAll(this.owned);
		return all;
	}

	/**
	 * A view of {@link #listeners()} that follows additions and removals: each iteration
	 * sees the listeners of that moment. For health, metrics and the actuator endpoint,
	 * which are created once and read the listeners on every call.
	 * @return the live view
	 */
	public List<StampListener> liveListeners() {
		return this.liveListeners;
	}

	/**
	 * Connection counters added up over every listener, in total and per protocol.
	 * @return the aggregated counters
	 */
	public Stats stats() {
		List<StampListener> listeners = listeners();
		Map<String, List<ConnectionStats>> byProtocol = new LinkedHashMap<>();
		List<ConnectionStats> all = new ArrayList<>();
		int running = 0;
		for (StampListener listener : listeners) {
			ConnectionStats stats = listener.stats();
			all.add(stats);
			byProtocol.computeIfAbsent(listener.protocol().id(), (id) -> new ArrayList<>()).add(stats);
			running += listener.isRunning() ? 1 : 0;
		}
		Map<String, ConnectionStats> protocols = new LinkedHashMap<>();
		byProtocol.forEach((id, stats) -> protocols.put(id, sum(id, stats)));
		return new Stats(listeners.size(), running, sum("all", all), protocols);
	}

	private static ConnectionStats sum(String name, List<ConnectionStats> stats) {
		int max = 0;
		int active = 0;
		long accepted = 0;
		long refused = 0;
		for (ConnectionStats each : stats) {
			max += each.maxConnections();
			active += each.activeConnections();
			accepted += each.acceptedConnections();
			refused += each.refusedConnections();
		}
		return new ConnectionStats(name, max, active, accepted, refused);
	}

	private @Nullable StampListenerFactory<?> factory(StampProtocol protocol) {
		return this.factories.orderedStream()
			.filter((factory) -> factory.protocol() == protocol)
			.findFirst()
			.orElse(null);
	}

	/**
	 * Created when the registry first starts, not when it is created: the factories need
	 * beans that may not exist yet while the context is being refreshed.
	 */
	private synchronized void createAdditionalListeners() {
		if (this.additionalListenersCreated) {
			return;
		}
		this.additionalListenersCreated = true;
		this.factories.orderedStream().forEach((factory) -> {
			for (ListenerSettings settings : factory.additionalListeners()) {
				addAndStart(factory, settings, false);
			}
		});
	}

	@Override
	public synchronized void start() {
		this.startedBeans = this.beans.orderedStream().toList();
		createAdditionalListeners();
		for (AbstractStampListener listener : this.owned) {
			listener.start();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await(5, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops every listener this registry holds at once, each gracefully.
	 * @param callback called once all are stopped
	 */
	@Override
	public void stop(Runnable callback) {
		List<AbstractStampListener> listeners;
		synchronized (this) {
			this.running = false;
			listeners = List.copyOf(this.owned);
		}
		AtomicInteger left = new AtomicInteger(listeners.size() + 1);
		Runnable oneStopped = () -> {
			if (left.decrementAndGet() == 0) {
				callback.run();
			}
		};
		for (AbstractStampListener listener : listeners) {
			listener.stop(oneStopped);
		}
		oneStopped.run();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return StampListener.PHASE;
	}

	/**
	 * Connection counters added up over listeners.
	 *
	 * @param listeners how many listeners there are
	 * @param running how many of them are listening
	 * @param total the counters of all listeners together, named {@code all}
	 * @param protocols the counters of each protocol's listeners together, by protocol id
	 */
	public record Stats(int listeners, int running, ConnectionStats total, Map<String, ConnectionStats> protocols) {
	}

	private final class LiveListeners extends AbstractList<StampListener> {

		@Override
		public StampListener get(int index) {
			return listeners().get(index);
		}

		@Override
		public int size() {
			return listeners().size();
		}

		@Override
		public Iterator<StampListener> iterator() {
			return listeners().iterator();
		}

		@Override
		public Spliterator<StampListener> spliterator() {
			return listeners().spliterator();
		}

	}

}
