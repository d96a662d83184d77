package dev.stamp.boot.listener;

import dev.stamp.boot.StampProtocol;

/**
 * A listener was asked for on an address another listener already holds: the same port on
 * the same host, or on a host that overlaps it such as {@code 0.0.0.0}.
 */
public class DuplicateListenerException extends IllegalArgumentException {

	DuplicateListenerException(StampProtocol protocol, String host, int port, StampListener holder) {
		super("Cannot add a " + protocol.id() + " listener on " + host + ":" + port + ": listener " + holder.name()
				+ " already listens on " + holder.host() + ":" + port
				+ "; remove it first or choose another port (0 binds a free one)");
	}

}
