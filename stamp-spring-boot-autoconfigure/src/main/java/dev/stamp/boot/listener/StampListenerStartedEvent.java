package dev.stamp.boot.listener;

/**
 * Published once a listener is bound and accepting; {@link #getPort()} is the real port,
 * also with port 0.
 */
public class StampListenerStartedEvent extends StampListenerEvent {

	public StampListenerStartedEvent(StampListener listener, int port) {
		super(listener, port);
	}

}
