package dev.stamp.webtransport.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Admits or rejects each WebTransport session request; where routing and middleware
 * (CORS, authentication, rate limits) plug in. Called on the connection's event loop: do
 * not block there; return a stage that completes later if the decision needs I/O. A stage
 * that fails is answered with 500, one that does not complete within the server's
 * admission timeout with 503.
 */
@FunctionalInterface
public interface SessionAcceptor {

	CompletionStage<SessionDecision> accept(SessionRequest request);

	/**
	 * An acceptor that gives every session to {@code handler}.
	 * @param handler the handler of every session
	 * @return an acceptor that accepts everything
	 */
	static SessionAcceptor of(WebTransportHandler handler) {
		return (request) -> CompletableFuture.completedFuture(SessionDecision.accept(handler));
	}

	/**
	 * An acceptor that gives every session to a blocking {@code handler}.
	 * @param handler the blocking handler of every session
	 * @return an acceptor that accepts everything
	 */
	static SessionAcceptor ofBlocking(BlockingWebTransportHandler handler) {
		return (request) -> CompletableFuture.completedFuture(SessionDecision.acceptBlocking(handler));
	}

}
