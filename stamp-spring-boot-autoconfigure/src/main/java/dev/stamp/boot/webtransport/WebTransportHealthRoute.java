package dev.stamp.boot.webtransport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.stamp.boot.StampRoute;
import dev.stamp.boot.listener.StampListener;
import dev.stamp.webtransport.WebTransportSession;

/**
 * A ready-made health endpoint, registered at {@code stamp.webtransport.health-path}: it
 * sends one JSON status message and closes the session. The message goes as a datagram
 * when the peer supports datagrams large enough, on a server-opened unidirectional stream
 * otherwise, and reads like {@code {"status":"UP","listeners":{"http":"UP"}}}: {@code UP}
 * when every Stamp listener meant to run is running.
 */
public class WebTransportHealthRoute {

	private final List<StampListener> listeners;

	public WebTransportHealthRoute(List<StampListener> listeners) {
		this.listeners = listeners;
	}

	@StampRoute("${stamp.webtransport.health-path}")
	public Mono<Void> health(WebTransportSession session) {
		byte[] status = status().getBytes(StandardCharsets.UTF_8);
		Mono<Void> send = (status.length <= session.maxDatagramSize()) ? session.sendDatagram(status)
				: session.openUniStream().flatMap((stream) -> stream.send(Flux.just(status)));
		return send.then(session.close(0, "health reported"));
	}

	String status() {
		List<StampListener> configured = this.listeners.stream().filter(StampListener::isConfigured).toList();
		boolean up = configured.stream().allMatch(StampListener::isRunning);
		String each = configured.stream()
			.map((listener) -> "\"" + listener.name() + "\":\"" + (listener.isRunning() ? "UP" : "DOWN") + "\"")
			.collect(Collectors.joining(","));
		return "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"listeners\":{" + each + "}}";
	}

}
