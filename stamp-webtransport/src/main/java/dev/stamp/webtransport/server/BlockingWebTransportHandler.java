package dev.stamp.webtransport.server;

import dev.stamp.webtransport.WebTransportSession;

/**
 * A blocking session handler, run on a {@link dev.stamp.core.BlockingHandlerExecutor}
 * thread (virtual on Java 21+), never on an event loop. The session lives until the
 * method returns (then it is closed with code 0, or with code 1 "internal error" if it
 * threw) or until the peer closes it.
 */
@FunctionalInterface
public interface BlockingWebTransportHandler {

	void handle(WebTransportSession session) throws Exception;

}
