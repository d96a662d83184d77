package dev.stamp.boot.webtransport;

import reactor.core.publisher.Mono;

import dev.stamp.boot.StampRoute;
import dev.stamp.webtransport.WebTransportSession;

/**
 * A ready-made echo endpoint, registered at {@code stamp.webtransport.echo-path}: every
 * bidirectional stream is echoed byte for byte on itself, every unidirectional stream on
 * a new server-opened unidirectional stream, every datagram unchanged. Useful to check a
 * deployment from a browser, and as a benchmark target. An idle session costs the echo a
 * few small objects (see {@link WebTransportEcho}), not a Reactor chain.
 */
public class WebTransportEchoRoute {

	@StampRoute("${stamp.webtransport.echo-path}")
	public Mono<Void> echo(WebTransportSession session) {
		return new WebTransportEcho(session);
	}

}
