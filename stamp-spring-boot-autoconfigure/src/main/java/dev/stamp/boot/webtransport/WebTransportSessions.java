package dev.stamp.boot.webtransport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.server.WebTransportServer;

/**
 * Every WebTransport session open right now, over every route and every WebTransport
 * listener: to list them, find one by id, send to it or close it from anywhere in the
 * application. A session is listed from the moment its route's handler gets it until it
 * closes; its id joins the id of its QUIC connection in
 * {@code /actuator/stamp/webtransport/connections} with the session's own id there (see
 * {@link LiveWebTransportSession#id()}).
 * <p>
 * Sending offers both of WebTransport's ways: {@link #send(String, byte[])} opens a
 * unidirectional stream, reliable and ordered, and {@link #sendDatagram(String, byte[])}
 * sends a datagram, unreliable but without head-of-line blocking. Thread-safe and
 * non-blocking: the operations return a {@link Mono} that must be subscribed to, and that
 * fails with {@link NoSuchElementException} when no session of that id is open.
 * <pre class="code">
 * sessions.send(id, "You have been promoted").subscribe();
 * </pre>
 */
public final class WebTransportSessions {

	private final ConcurrentSkipListMap<SessionKey, LiveWebTransportSession> sessions = new ConcurrentSkipListMap<>();

	/**
	 * Tracks a session until it closes.
	 * @param route the path of the route that serves the session
	 * @param session a session the engine accepted
	 */
	void register(String route, WebTransportSession session) {
		SessionKey key = new SessionKey(WebTransportServer.connectionIdOf(session), session.id());
		LiveWebTransportSession live = new LiveWebTransportSession(key.toString(), route, session);
		this.sessions.put(key, live);
		session.closeSignal().subscribe(new Deregistration(this.sessions, key, live));
	}

	/**
	 * The open sessions.
	 * @return the sessions, in order of their ids
	 */
	public List<LiveWebTransportSession> list() {
		return List.copyOf(this.sessions.values());
	}

	/**
	 * The sessions of one route.
	 * @param route the route's path as declared, for example {@code /rooms/{name}}
	 * @return the sessions, in order of their ids
	 */
	public List<LiveWebTransportSession> listByRoute(String route) {
		return select((live) -> live.route().equals(route));
	}

	/**
	 * The sessions of one request path.
	 * @param path the request path, for example {@code /rooms/kitchen}
	 * @return the sessions, in order of their ids
	 */
	public List<LiveWebTransportSession> listByPath(String path) {
		return select((live) -> live.path().equals(path));
	}

	private List<LiveWebTransportSession> select(Predicate<LiveWebTransportSession> filter) {
		return this.sessions.values().stream().filter(filter).toList();
	}

	/**
	 * The number of open sessions.
	 * @return the number of sessions
	 */
	public int count() {
		return this.sessions.size();
	}

	/**
	 * Finds an open session.
	 * @param id the session's id, as {@link LiveWebTransportSession#id()} gives it
	 * @return the session, or empty if no session of that id is open
	 */
	public Optional<LiveWebTransportSession> find(String id) {
		SessionKey key = SessionKey.parse(id);
		return (key != null) ? Optional.ofNullable(this.sessions.get(key)) : Optional.empty();
	}

	/**
	 * Sends bytes to one session on a new unidirectional stream, ended once they are
	 * written: the peer reads them as one incoming stream.
	 * @param id the session's id
	 * @param data the bytes
	 * @return completes when the bytes and the end of the stream were sent
	 */
	public Mono<Void> send(String id, byte[] data) {
		return with(id, (session) -> session.openUniStream().flatMap((stream) -> stream.send(Mono.just(data))));
	}

	/**
	 * Sends text, as UTF-8, to one session on a new unidirectional stream; see
	 * {@link #send(String, byte[])}.
	 * @param id the session's id
	 * @param text the text
	 * @return completes when the text and the end of the stream were sent
	 */
	public Mono<Void> send(String id, String text) {
		return send(id, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends one datagram to one session (unreliable, unordered).
	 * @param id the session's id
	 * @param payload the datagram's payload
	 * @return completes when handed to QUIC; fails as
	 * {@link WebTransportSession#sendDatagram(byte[])} does
	 */
	public Mono<Void> sendDatagram(String id, byte[] payload) {
		return with(id, (session) -> session.sendDatagram(payload));
	}

	/**
	 * Closes one session with an application code the peer sees.
	 * @param id the session's id
	 * @param code application error code, 32-bit unsigned
	 * @param reason at most 1024 UTF-8 bytes
	 * @return completes when the close was written
	 */
	public Mono<Void> close(String id, long code, String reason) {
		return with(id, (session) -> session.close(code, reason));
	}

	private Mono<Void> with(String id, Function<WebTransportSession, Mono<Void>> action) {
		return Mono.defer(() -> find(id).map((live) -> action.apply(live.session()))
			.orElseGet(() -> Mono.error(new NoSuchElementException("No open WebTransport session " + id))));
	}

	/**
	 * Takes a session off the list when it closes: one small subscriber that every open
	 * session holds, instead of a lambda and a {@code LambdaMonoSubscriber}.
	 */
	private static final class Deregistration implements CoreSubscriber<SessionCloseInfo> {

		private final ConcurrentSkipListMap<SessionKey, LiveWebTransportSession> sessions;

		private final SessionKey key;

		private final LiveWebTransportSession live;

		Deregistration(ConcurrentSkipListMap<SessionKey, LiveWebTransportSession> sessions, SessionKey key,
				LiveWebTransportSession live) {
			this.sessions = sessions;
			this.key = key;
			this.live = live;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(SessionCloseInfo closed) {
			deregister();
		}

		@Override
		public void onError(Throwable error) {
			deregister();
		}

		@Override
		public void onComplete() {
			deregister();
		}

		private void deregister() {
			this.sessions.remove(this.key, this.live);
		}

	}

	/**
	 * A session's place: its connection's id, then its own id within the connection.
	 */
	private record SessionKey(long connection, long session) implements Comparable<SessionKey> {

		static @Nullable SessionKey parse(String id) {
			int dash = id.indexOf('-');
			if (dash < 1) {
				return null;
			}
			try {
				return new SessionKey(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

		@Override
		public int compareTo(SessionKey other) {
			int byConnection = Long.compare(this.connection, other.connection);
			return (byConnection != 0) ? byConnection : Long.compare(this.session, other.session);
		}

		@Override
		public String toString() {
			return this.connection + "-" + this.session;
		}

	}

}
