package dev.stamp.webtransport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.stamp.core.PathVariables;
import dev.stamp.webtransport.protocol.Dialect;

/**
 * One WebTransport session: what a session handler gets, on the server and on the client.
 * <p>
 * Everything is offered in two forms. The reactive form ({@link #acceptedBidiStreams()},
 * {@link #datagrams()}, {@link #openBidiStream()}, ...) never blocks. The blocking form
 * ({@link #acceptBidiStream(Duration)}, {@link #receiveDatagram(Duration)}, ...) waits
 * and is meant for handlers that run on a {@link dev.stamp.core.BlockingHandlerExecutor}
 * thread; it refuses to run on a Netty event loop. Incoming streams and datagrams are
 * queued once: whichever form takes an item, the other does not see it.
 * <p>
 * All methods are thread-safe.
 */
public interface WebTransportSession {

	/**
	 * The session id: the QUIC stream id of the extended CONNECT request.
	 * @return the session id
	 */
	long id();

	/**
	 * The peer's UDP address.
	 * @return the peer's address
	 */
	InetSocketAddress remoteAddress();

	/**
	 * The request path, without the query.
	 * @return the path
	 */
	String path();

	/**
	 * The query string of the request.
	 * @return the query, or {@code null}
	 */
	@Nullable String query();

	/**
	 * The {@code :authority} of the request.
	 * @return the authority
	 */
	String authority();

	/**
	 * The {@code origin} header, or {@code null} if the peer sent none (non-browser
	 * clients).
	 * @return the origin, or {@code null}
	 */
	@Nullable String origin();

	/**
	 * The request headers, names in lower case (pseudo-headers included), values in
	 * arrival order.
	 * @return the headers by name
	 */
	Map<String, List<String>> headers();

	/**
	 * The path variables the session acceptor found in the request path, by name, in the
	 * route's order: {@code id} for a session at {@code /users/42} routed by
	 * {@code /users/{id}}. Empty for exact paths and on the client.
	 * @return the path variables by name
	 */
	Map<String, String> pathVariables();

	/**
	 * The value of one path variable.
	 * @param name the variable's name as declared in the route path
	 * @return the value, never {@code null}
	 * @throws IllegalArgumentException if the route has no variable of that name
	 */
	default String pathVariable(String name) {
		return PathVariables.require(pathVariables(), name);
	}

	/**
	 * Mutable attributes, filled by the session acceptor (for example by middleware) and
	 * free for the handler.
	 * @return the live, mutable attributes
	 */
	Map<String, Object> attributes();

	/**
	 * Which draft family the peer speaks, as far as known when the session was accepted.
	 * @return the peer's dialect
	 */
	Dialect dialect();

	/**
	 * Whether the session has not been closed yet (it may be draining).
	 * @return {@code true} while the session is open
	 */
	boolean isOpen();

	/**
	 * Whether the peer or this side asked for the session to be drained.
	 * @return {@code true} once a drain was asked for
	 */
	boolean isDraining();

	// ---- reactive form

	/**
	 * The bidirectional streams the peer opens, as they arrive. One subscriber at a time.
	 * @return the peer's bidirectional streams
	 */
	Flux<WebTransportStream> acceptedBidiStreams();

	/**
	 * The unidirectional streams the peer opens (receive-only), as they arrive. One
	 * subscriber at a time.
	 * @return the peer's unidirectional streams
	 */
	Flux<WebTransportStream> acceptedUniStreams();

	/**
	 * Opens a bidirectional stream; fails if the peer granted no stream credit or the
	 * session is closed.
	 * @return the new stream, once opened
	 */
	Mono<WebTransportStream> openBidiStream();

	/**
	 * Opens a unidirectional (send-only) stream; fails like {@link #openBidiStream()}.
	 * @return the new stream, once opened
	 */
	Mono<WebTransportStream> openUniStream();

	/**
	 * The datagrams the peer sends. One subscriber at a time; datagrams nobody reads are
	 * dropped when the queue is full.
	 * @return the payloads of the received datagrams
	 */
	Flux<byte[]> datagrams();

	/**
	 * Sends one datagram (unreliable, unordered).
	 * @param payload the datagram's payload
	 * @return completes when handed to QUIC; fails with {@link DatagramTooLargeException}
	 * if the payload exceeds {@link #maxDatagramSize()}, or with
	 * {@link WebTransportSessionException} if datagrams are not available
	 */
	Mono<Void> sendDatagram(byte[] payload);

	/**
	 * The largest datagram payload the peer accepts now, or 0 if the peer does not
	 * support datagrams.
	 * @return the largest payload in bytes, or 0
	 */
	int maxDatagramSize();

	/**
	 * Closes the session: sends CLOSE_WEBTRANSPORT_SESSION with the code and reason, ends
	 * the CONNECT stream and resets the session's streams.
	 * @param code application error code, 32-bit unsigned
	 * @param reason at most 1024 UTF-8 bytes
	 * @return completes when the close was written
	 */
	Mono<Void> close(long code, String reason);

	/**
	 * Sends DRAIN_WEBTRANSPORT_SESSION: asks the peer to wrap up; the session stays
	 * usable.
	 * @return completes when the capsule is written
	 */
	Mono<Void> drain();

	/**
	 * Completes with how the session ended (never fails).
	 * @return how the session ended
	 */
	Mono<SessionCloseInfo> closeSignal();

	/**
	 * Completes when the peer (or a server shutdown) asked for the session to be drained.
	 * @return completes on the first drain request
	 */
	Mono<Void> drainSignal();

	// ---- blocking form

	/**
	 * Waits for the next bidirectional stream the peer opens.
	 * @param timeout the longest wait
	 * @return the stream, or {@code null} if the session closed or the timeout elapsed
	 */
	@Nullable WebTransportStream acceptBidiStream(Duration timeout) throws InterruptedException;

	/**
	 * Waits for the next unidirectional stream; like {@link #acceptBidiStream(Duration)}.
	 * @param timeout the longest wait
	 * @return the stream, or {@code null} if the session closed or the timeout elapsed
	 */
	@Nullable WebTransportStream acceptUniStream(Duration timeout) throws InterruptedException;

	/**
	 * Waits for the next datagram.
	 * @param timeout the longest wait
	 * @return the payload, or {@code null} if the session closed or the timeout elapsed
	 */
	byte @Nullable [] receiveDatagram(Duration timeout) throws InterruptedException;

	/**
	 * Blocking variant of {@link #openBidiStream()}.
	 * @return the new stream
	 */
	default WebTransportStream openBidiStreamBlocking() {
		return openBidiStream().block();
	}

	/**
	 * Blocking variant of {@link #openUniStream()}.
	 * @return the new stream
	 */
	default WebTransportStream openUniStreamBlocking() {
		return openUniStream().block();
	}

	/**
	 * Waits until the session ended.
	 * @param timeout the longest wait
	 * @return how the session ended
	 */
	default SessionCloseInfo awaitClose(Duration timeout) {
		return closeSignal().block(timeout);
	}

}
