package dev.stamp.boot.webtransport;

import reactor.core.publisher.Mono;

import dev.stamp.boot.StampRoute;
import dev.stamp.webtransport.WebTransportSession;

/**
 * A ready-made echo endpoint, registered at {@code stamp.webtransport.echo-path}: every
 * bidirectional stream is echoed byte for byte on itself, every unidirectional stream on
 * a new server-opened unidirectional stream, every datagram unchanged. Useful to check a
 * deployment from a browser, and as a benchmark target.
 */
public class WebTransportEchoRoute {

	@StampRoute("${stamp.webtransport.echo-path}")
	public Mono<Void> echo(WebTransportSession session) {
		Mono<Void> bidirectional = session.acceptedBidiStreams()
			.flatMap((stream) -> stream.send(stream.receive()))
			.then();
		Mono<Void> unidirectional = session.acceptedUniStreams()
			.flatMap((incoming) -> session.openUniStream().flatMap((outgoing) -> outgoing.send(incoming.receive())))
			.then();
		Mono<Void> datagrams = session.datagrams().concatMap(session::sendDatagram).then();
		return Mono.when(bidirectional, unidirectional, datagrams);
	}

}
