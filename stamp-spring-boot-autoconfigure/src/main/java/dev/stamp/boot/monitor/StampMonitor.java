package dev.stamp.boot.monitor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import dev.stamp.boot.listener.StampListener;
import dev.stamp.core.ConnectionStats;

/**
 * Samples every Stamp listener on an interval, keeps the latest samples and alerts, and
 * logs each new alert at WARN. Alerts: a listener that should run does not (critical);
 * connections at or above the utilization threshold; clients refused at the limit since
 * the previous sample. Memory is bounded by the history sizes.
 */
public class StampMonitor implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StampMonitor.class);

	private final List<StampListener> listeners;

	private final Duration interval;

	private final int historySize;

	private final int alertHistorySize;

	private final double utilizationThreshold;

	private final Clock clock;

	private final Deque<MonitorSample> history = new ArrayDeque<>();

	private final Deque<MonitorAlert> alerts = new ArrayDeque<>();

	private final Map<String, ConnectionStats> previous = new HashMap<>();

	private volatile MonitorStatus status = new MonitorStatus(MonitorStatus.HEALTHY, null, List.of());

	private ScheduledExecutorService scheduler;

	/**
	 * Creates a monitor; it samples once started.
	 * @param listeners the listeners to watch
	 * @param interval how often to sample
	 * @param historySize samples kept
	 * @param alertHistorySize alerts kept
	 * @param utilizationThreshold share of max-connections (0 to 1) from which a warning
	 * is raised
	 * @param clock the clock for timestamps
	 */
	public StampMonitor(List<StampListener> listeners, Duration interval, int historySize, int alertHistorySize,
			double utilizationThreshold, Clock clock) {
		this.listeners = listeners;
		this.interval = interval;
		this.historySize = historySize;
		this.alertHistorySize = alertHistorySize;
		this.utilizationThreshold = utilizationThreshold;
		this.clock = clock;
	}

	/**
	 * Takes one sample now, evaluates it, and records both. Called on the interval;
	 * callable any time.
	 * @return the new sample
	 */
	public synchronized MonitorSample sample() {
		Map<String, ListenerSample> samples = new LinkedHashMap<>();
		List<MonitorAlert> raised = new ArrayList<>();
		for (StampListener listener : this.listeners) {
			if (!listener.isConfigured()) {
				continue;
			}
			String id = listener.name();
			ConnectionStats stats = listener.stats();
			ConnectionStats before = this.previous.put(id, stats);
			long accepted = stats.acceptedConnections() - ((before != null) ? before.acceptedConnections() : 0);
			long refused = stats.refusedConnections() - ((before != null) ? before.refusedConnections() : 0);
			ListenerSample sample = new ListenerSample(listener.isRunning(), stats.activeConnections(),
					stats.maxConnections(), Math.max(0, accepted), Math.max(0, refused), protocolCounters(listener));
			samples.put(id, sample);
			evaluate(id, sample, raised);
		}
		MonitorSample taken = new MonitorSample(this.clock.instant(), samples);
		remember(this.history, taken, this.historySize);
		for (MonitorAlert alert : raised) {
			remember(this.alerts, alert, this.alertHistorySize);
			logger.warn("Stamp monitor: " + alert.listener() + ": " + alert.message());
		}
		String state = raised.stream().anyMatch((alert) -> alert.severity() == MonitorAlert.Severity.CRITICAL)
				? MonitorStatus.UNHEALTHY : (raised.isEmpty() ? MonitorStatus.HEALTHY : MonitorStatus.DEGRADED);
		this.status = new MonitorStatus(state, taken.time(), List.copyOf(raised));
		return taken;
	}

	private void evaluate(String id, ListenerSample sample, List<MonitorAlert> raised) {
		if (!sample.running()) {
			raised.add(alert(MonitorAlert.Severity.CRITICAL, id, "listener is not running although it has routes"));
			return;
		}
		if (sample.utilization() >= this.utilizationThreshold) {
			raised.add(alert(MonitorAlert.Severity.WARNING, id, String.format("%d of %d connections in use (%.0f%%)",
					sample.activeConnections(), sample.maxConnections(), sample.utilization() * 100)));
		}
		if (sample.refusedSinceLastSample() > 0) {
			raised.add(alert(MonitorAlert.Severity.WARNING, id, sample.refusedSinceLastSample()
					+ " connection(s) refused at max-connections since the previous sample"));
		}
	}

	private static Map<String, Long> protocolCounters(StampListener listener) {
		return listener.counters();
	}

	private MonitorAlert alert(MonitorAlert.Severity severity, String listener, String message) {
		return new MonitorAlert(this.clock.instant(), severity, listener, message);
	}

	private static <T> void remember(Deque<T> deque, T item, int limit) {
		deque.addFirst(item);
		while (deque.size() > limit) {
			deque.removeLast();
		}
	}

	/**
	 * The verdict of the latest sample.
	 * @return the latest verdict
	 */
	public MonitorStatus status() {
		return this.status;
	}

	/**
	 * The most recent alerts, newest first.
	 * @param limit the most alerts to return
	 * @return the alerts
	 */
	public synchronized List<MonitorAlert> alerts(int limit) {
		return this.alerts.stream().limit(limit).toList();
	}

	/**
	 * The most recent samples, newest first.
	 * @param limit the most samples to return
	 * @return the samples
	 */
	public synchronized List<MonitorSample> history(int limit) {
		return this.history.stream().limit(limit).toList();
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "stamp-monitor");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		executor.scheduleAtFixedRate(this::sampleSafely, millis, millis, TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	private void sampleSafely() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			logger.error("Stamp monitor could not take a sample", ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		if (executor != null) {
			executor.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		// Sample while the listeners run: start after them, stop before them.
		return StampListener.PHASE + 1;
	}

}
