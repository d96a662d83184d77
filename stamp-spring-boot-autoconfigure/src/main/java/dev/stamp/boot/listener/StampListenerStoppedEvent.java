package dev.stamp.boot.listener;

/**
 * Published once a listener has stopped gracefully: no connection of it is open any more.
 */
public class StampListenerStoppedEvent extends StampListenerEvent {

	public StampListenerStoppedEvent(StampListener listener, int port) {
		super(listener, port);
	}

}
