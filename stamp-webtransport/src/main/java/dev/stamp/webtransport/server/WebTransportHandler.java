package dev.stamp.webtransport.server;

import org.reactivestreams.Publisher;

import dev.stamp.webtransport.WebTransportSession;

/**
 * A reactive session handler. It is called on the connection's event loop and must not
 * block; the session lives until the returned publisher terminates (then it is closed
 * with code 0, or with code 1 "internal error" if the publisher failed) or until the peer
 * closes it, whichever comes first.
 */
@FunctionalInterface
public interface WebTransportHandler {

	Publisher<Void> handle(WebTransportSession session);

}
