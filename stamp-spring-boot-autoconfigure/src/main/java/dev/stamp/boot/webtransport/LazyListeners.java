package dev.stamp.boot.webtransport;

import java.util.AbstractList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;

import dev.stamp.boot.listener.StampListener;

/**
 * The application's listeners, looked up on first use rather than at injection: a route
 * bean that reports on the listeners is created before they are.
 */
final class LazyListeners extends AbstractList<StampListener> {

	private final ObjectProvider<StampListener> provider;

	private volatile List<StampListener> listeners;

	LazyListeners(ObjectProvider<StampListener> provider) {
		this.provider = provider;
	}

	private List<StampListener> listeners() {
		List<StampListener> current = this.listeners;
		if (current == null) {
			current = this.provider.orderedStream().toList();
			this.listeners = current;
		}
		return current;
	}

	@Override
	public StampListener get(int index) {
		return listeners().get(index);
	}

	@Override
	public int size() {
		return listeners().size();
	}

}
