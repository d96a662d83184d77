package dev.stamp.sample.webtransport;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.webtransport.WebTransportEchoRoute;
import dev.stamp.sample.webtransport.WebTransportSessionLog.SessionSummary;
import dev.stamp.webtransport.WebTransportSession;

/**
 * WebTransport {@code /echo} (HTTP/3 over QUIC, port 4433): every bidirectional stream is
 * echoed byte for byte on itself, every unidirectional stream on a new server-opened
 * unidirectional stream, every datagram unchanged.
 * <p>
 * The echo itself is Stamp's ready-made {@link WebTransportEchoRoute} (the one
 * {@code stamp.webtransport.echo-path} switches on); this route adds the
 * {@link WebTransportSessionLog}, so that {@code /about} and
 * {@code GET /api/webtransport/sessions} show who connected and the close code and reason
 * each session ended with.
 */
@Component
public class WebTransportRoutes {

	private final WebTransportEchoRoute echo = new WebTransportEchoRoute();

	private final WebTransportSessionLog sessions;

	public WebTransportRoutes(WebTransportSessionLog sessions) {
		this.sessions = sessions;
	}

	/**
	 * The session lives until the browser closes it (or the connection ends).
	 * @param session the browser's session
	 * @return completes when the session is over
	 */
	@StampRoute("/echo")
	public Mono<Void> echo(WebTransportSession session) {
		this.sessions.track(session);
		return this.echo.echo(session);
	}

	/**
	 * {@code GET /api/webtransport/sessions}: the recent sessions of {@code /echo},
	 * newest first.
	 * @param request the request (unused)
	 * @return the recent sessions, written as JSON
	 */
	@StampRoute(path = "/api/webtransport/sessions", method = HttpMethod.GET)
	public List<SessionSummary> recentSessions(HttpRequest request) {
		return this.sessions.recent();
	}

}
