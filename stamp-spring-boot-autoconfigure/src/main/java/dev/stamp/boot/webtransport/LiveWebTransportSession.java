package dev.stamp.boot.webtransport;

import dev.stamp.webtransport.WebTransportSession;

/**
 * An open WebTransport session as {@link WebTransportSessions} lists it: the session with
 * the id that finds it again and the route that serves it.
 *
 * @param id the session's id in the application: the id of its QUIC connection (as in
 * {@code /actuator/stamp/webtransport/connections}), a dash, and the session's own
 * {@link WebTransportSession#id() id} within that connection, for example {@code 7-0}
 * @param route the path of the route that serves the session, as declared: for example
 * {@code /rooms/{name}} for a session at {@code /rooms/kitchen}
 * @param session the session
 */
public record LiveWebTransportSession(String id, String route, WebTransportSession session) {

	/**
	 * The request path of the session.
	 * @return the path
	 */
	public String path() {
		return this.session.path();
	}

}
