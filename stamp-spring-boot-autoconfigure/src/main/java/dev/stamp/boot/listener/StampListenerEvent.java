package dev.stamp.boot.listener;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a Stamp listener starts or stops; listen with {@code @EventListener} to
 * run code when the application starts or stops serving (warm caches, register with
 * discovery, flush state).
 */
public abstract class StampListenerEvent extends ApplicationEvent {

	private final int port;

	protected StampListenerEvent(StampListener listener, int port) {
		super(listener);
		this.port = port;
	}

	/**
	 * The listener.
	 * @return the listener
	 */
	public StampListener getListener() {
		return (StampListener) getSource();
	}

	/**
	 * The port the listener was bound to.
	 * @return the bound port
	 */
	public int getPort() {
		return this.port;
	}

}
