package dev.stamp.webtransport.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.internal.ConnectStreamHandler;
import dev.stamp.webtransport.internal.ConnectionState;
import dev.stamp.webtransport.internal.EngineStats;
import dev.stamp.webtransport.internal.RequestHeaders;
import dev.stamp.webtransport.internal.SessionImpl;
import dev.stamp.webtransport.internal.SessionInfo;
import dev.stamp.webtransport.protocol.Dialect;

/**
 * Handles one HTTP/3 request stream on the server: an extended CONNECT for WebTransport
 * is checked against the session limits, handed to the {@link SessionAcceptor}, answered
 * with 200 (stream kept open) or the rejection's status, and then carries the session's
 * capsules. Any other request is answered 404.
 */
final class ConnectRequestHandler extends ConnectStreamHandler {

	/**
	 * Characters of a rejection reason sent to the peer; the rest stays in the server's
	 * log.
	 */
	private static final int MAX_REASON_LENGTH = 200;

	private static final Logger logger = LoggerFactory.getLogger(ConnectRequestHandler.class);

	/**
	 * Netty's handlers on an HTTP/3 request stream that an accepted CONNECT stream no
	 * longer needs (package-private classes, so known by name).
	 */
	static final Set<String> DROPPED_AFTER_ACCEPT = Set.of(
			"io.netty.handler.codec.http3.Http3RequestStreamEncodeStateValidator",
			"io.netty.handler.codec.http3.Http3RequestStreamValidationHandler");

	/** Close code when a handler failed. */
	static final long HANDLER_ERROR_CODE = 1;

	private final WebTransportServer server;

	private boolean requestSeen;

	private boolean reserved;

	private boolean inputClosed;

	ConnectRequestHandler(WebTransportServer server) {
		this.server = server;
	}

	@Override
	protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
		if (this.requestSeen) {
			return; // trailers: nothing to do
		}
		this.requestSeen = true;
		Http3Headers headers = frame.headers();
		QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
		ConnectionState connection = ConnectionState.of(stream.parent());
		if (!"CONNECT".contentEquals(String.valueOf(headers.method()))
				|| !"webtransport".contentEquals(String.valueOf(headers.protocol()))) {
			respond(ctx, connection, 404, "not a WebTransport CONNECT");
			return;
		}
		if (headers.path() == null || headers.authority() == null || headers.scheme() == null) {
			respond(ctx, connection, 400, "missing :path, :authority or :scheme");
			return;
		}
		if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
			// A CONNECT has no content (RFC 9110 9.3.6) and a session's capsules have no
			// length, so a declared one can only be wrong once they flow. Refused up
			// front because Netty's content-length check leaves the stream after the 200
			// (see dropMessageValidators).
			respond(ctx, connection, 400, "content-length on a WebTransport CONNECT");
			return;
		}
		if (!this.server.isAccepting()) {
			refuse(ctx, connection, "shutting-down");
			return;
		}
		if (connection.sessionCount() > this.server.config().maxSessionsPerConnection()) {
			refuse(ctx, connection, EngineStats.MAX_SESSIONS_PER_CONNECTION);
			return;
		}
		if (!this.server.stats().tryReserveSession(this.server.config().maxSessions())) {
			refuse(ctx, connection, EngineStats.MAX_SESSIONS);
			return;
		}
		this.reserved = true;
		SessionRequest request = toRequest(stream, headers, connection);
		CompletionStage<SessionDecision> decision;
		try {
			decision = this.server.config().acceptor().accept(request);
		}
		catch (RuntimeException ex) {
			logger.warn("Session acceptor failed for {}", request.path(), ex);
			decide(ctx, request, null, ex);
			return;
		}
		CompletableFuture<SessionDecision> pending = decision.toCompletableFuture();
		if (pending.isDone()) {
			// The usual case (routing without asynchronous middleware): decided now, on
			// this event loop, so the 200 leaves with this read instead of a task later.
			decideNow(ctx, request, pending);
			return;
		}
		pending.orTimeout(this.server.config().admissionTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((result, error) -> ctx.executor().execute(() -> decide(ctx, request, result, error)));
	}

	private void decideNow(ChannelHandlerContext ctx, SessionRequest request, CompletableFuture<SessionDecision> done) {
		SessionDecision result;
		try {
			result = done.join();
		}
		catch (CompletionException | CancellationException ex) {
			decide(ctx, request, null, (ex.getCause() != null) ? ex.getCause() : ex);
			return;
		}
		decide(ctx, request, result, null);
	}

	private void refuse(ChannelHandlerContext ctx, ConnectionState connection, String reason) {
		this.server.stats().refused(reason);
		connection.refusalLog(reason).refused(ctx.channel().parent().remoteAddress());
		respond(ctx, connection, 503, reason);
	}

	private void decide(ChannelHandlerContext ctx, SessionRequest request, SessionDecision decision, Throwable error) {
		QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
		ConnectionState connection = ConnectionState.of(stream.parent());
		if (!stream.isActive() || this.inputClosed) {
			releaseReservation();
			connection.requestStreamDone(stream.streamId());
			stream.close();
			return;
		}
		if (error != null || decision == null) {
			releaseReservation();
			boolean timedOut = error instanceof TimeoutException;
			if (!timedOut) {
				logger.warn("Session acceptor failed for {}", request.path(), error);
			}
			respond(ctx, connection, timedOut ? 503 : 500, timedOut ? "admission timeout" : "acceptor failed");
			return;
		}
		if (!decision.isAccepted()) {
			releaseReservation();
			logger.debug("Session request for {} from {} rejected: {}", request.path(), request.remoteAddress(),
					decision);
			respond(ctx, connection, decision.status(), decision.reason());
			return;
		}
		Http3Headers response = new DefaultHttp3Headers().status("200");
		if (request.dialect() == Dialect.DRAFT_02) {
			response.add("sec-webtransport-http3-draft", "draft02");
		}
		ctx.writeAndFlush(new DefaultHttp3HeadersFrame(response));
		dropMessageValidators(stream.pipeline());
		this.reserved = false; // the session owns the slot now; ConnectionState releases
								// it when the session ends
		SessionInfo info = new SessionInfo(request.remoteAddress(), request.path(), request.query(),
				request.authority(), request.origin(), request.headers(), request.dialect());
		this.session = new SessionImpl(stream.streamId(), stream, connection, info, decision.pathVariables(),
				decision.attributes());
		this.server.stats().sessionAccepted();
		connection.registerSession(this.session);
		runHandler(this.session, decision);
	}

	/**
	 * Once the 200 is written, the CONNECT stream only carries DATA frames with capsules
	 * both ways: Netty's outbound state check (HEADERS, DATA, trailers in order) and its
	 * message check (content-length, refused before the 200; push frames) have nothing
	 * left to check, and an idle session would hold their two handler contexts for its
	 * whole life. The inbound state check stays (frames after trailers, a second
	 * HEADERS), and so does the frame codec's own check of frame types.
	 * @param pipeline the CONNECT stream's pipeline
	 */
	private static void dropMessageValidators(ChannelPipeline pipeline) {
		List<String> names = pipeline.names();
		for (String name : names) {
			ChannelHandler handler = pipeline.get(name);
			if (handler != null && DROPPED_AFTER_ACCEPT.contains(handler.getClass().getName())) {
				pipeline.remove(handler);
			}
		}
	}

	private void runHandler(SessionImpl session, SessionDecision decision) {
		if (decision.handler() != null) {
			Mono.defer(() -> Mono.from(decision.handler().handle(session))).subscribe(new HandlerEnd(this, session));
			return;
		}
		try {
			this.server.blockingExecutor().execute(() -> {
				try {
					decision.blockingHandler().handle(session);
					closeAfterHandler(session, 0, "");
				}
				catch (Throwable ex) {
					if (ex instanceof InterruptedException) {
						Thread.currentThread().interrupt();
					}
					handlerFailed(session, ex);
					closeAfterHandler(session, HANDLER_ERROR_CODE, "internal error");
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.server.stats().refused(EngineStats.HANDLER_REJECTED);
			closeAfterHandler(session, HANDLER_ERROR_CODE, "server busy");
		}
	}

	/**
	 * A handler that ended because the peer reset or abandoned one of its streams did
	 * nothing wrong: that is the peer's doing, counted and logged once per burst like
	 * other peer errors, without a stack trace that any client could make the server
	 * print. Anything else is the application's failure.
	 * @param session the handler's session
	 * @param error why the handler ended
	 */
	private void handlerFailed(SessionImpl session, Throwable error) {
		if (error instanceof WebTransportStreamException) {
			this.server.peerErrors()
				.record("stream-abandoned", session.remoteAddress(),
						"a stream of " + session.path() + " ended under its handler: " + error.getMessage());
			return;
		}
		logger.warn("WebTransport handler for {} failed", session.path(), error);
	}

	private static void closeAfterHandler(SessionImpl session, long code, String reason) {
		if (session.isOpen()) {
			session.close(code, reason).subscribe(null, (error) -> {
			});
		}
	}

	private void respond(ChannelHandlerContext ctx, ConnectionState connection, int status, String reason) {
		this.server.stats().sessionRejected();
		QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
		connection.requestStreamDone(stream.streamId());
		logger.debug("Answering {} to a request on stream {}: {}", status, stream.streamId(), reason);
		if (reason == null || reason.isEmpty()) {
			ctx.writeAndFlush(new DefaultHttp3HeadersFrame(new DefaultHttp3Headers().status(String.valueOf(status))))
				.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
			return;
		}
		// The reason goes out as a short text body: browsers only report a failed
		// handshake, but other clients show it.
		byte[] body = truncate(reason).getBytes(StandardCharsets.UTF_8);
		ctx.write(new DefaultHttp3HeadersFrame(new DefaultHttp3Headers().status(String.valueOf(status))
			.set("content-type", "text/plain; charset=utf-8")
			.setInt("content-length", body.length)));
		ctx.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(body)))
			.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
	}

	private static String truncate(String reason) {
		return (reason.length() <= MAX_REASON_LENGTH) ? reason : reason.substring(0, MAX_REASON_LENGTH);
	}

	private void releaseReservation() {
		if (this.reserved) {
			this.reserved = false;
			this.server.stats().releaseSession();
		}
	}

	private static SessionRequest toRequest(QuicStreamChannel stream, Http3Headers headers,
			ConnectionState connection) {
		// The session keeps these for headers() as long as it lives: a compact copy,
		// which path, authority and origin share their strings with.
		RequestHeaders all = RequestHeaders.copyOf(headers);
		String fullPath = all.first(":path");
		int queryStart = fullPath.indexOf('?');
		String path = (queryStart < 0) ? fullPath : fullPath.substring(0, queryStart);
		String query = (queryStart < 0) ? null : fullPath.substring(queryStart + 1);
		Dialect dialect = connection.peerDialect();
		if (dialect == Dialect.UNKNOWN) {
			dialect = all.containsKey("sec-webtransport-http3-draft02") ? Dialect.DRAFT_02 : Dialect.LATEST;
		}
		InetSocketAddress remote = (InetSocketAddress) stream.parent().remoteSocketAddress();
		return new SessionRequest(stream.streamId(), remote, path, query, all.first(":authority"), all.first("origin"),
				all, dialect);
	}

	@Override
	protected void channelInputClosed(ChannelHandlerContext ctx) {
		this.inputClosed = true;
		if (this.session != null) {
			this.session.onConnectStreamInputClosed();
		}
	}

	@Override
	protected void handleQuicException(ChannelHandlerContext ctx, QuicException exception) {
		if (this.session != null) {
			this.session.terminate(new SessionCloseInfo(0, "CONNECT stream reset", true), false);
		}
		ctx.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
		if (this.session != null) {
			this.session.onConnectStreamClosed();
		}
		else {
			ConnectionState connection = ConnectionState.of(stream.parent());
			if (connection != null) {
				connection.requestStreamDone(stream.streamId());
			}
			// If a decision is still due, decide() sees the inactive stream and releases
			// the reservation.
		}
		ctx.fireChannelInactive();
	}

	/**
	 * Waits for a reactive handler to end, then closes its session: one small subscriber
	 * that every session holds while its handler runs (a {@code LambdaMonoSubscriber}
	 * with its two lambdas would be three objects).
	 */
	private static final class HandlerEnd implements CoreSubscriber<Void> {

		private final ConnectRequestHandler owner;

		private final SessionImpl session;

		HandlerEnd(ConnectRequestHandler owner, SessionImpl session) {
			this.owner = owner;
			this.session = session;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			try {
				this.owner.handlerFailed(this.session, error);
				closeAfterHandler(this.session, HANDLER_ERROR_CODE, "internal error");
			}
			catch (RuntimeException ex) {
				closeFailed(ex);
			}
		}

		@Override
		public void onComplete() {
			try {
				closeAfterHandler(this.session, 0, "");
			}
			catch (RuntimeException ex) {
				closeFailed(ex);
			}
		}

		/**
		 * What {@code LambdaMonoSubscriber} would do with a throwing callback: log it
		 * here instead of throwing into whichever publisher signalled the end.
		 * @param ex what closing the session threw
		 */
		private void closeFailed(RuntimeException ex) {
			logger.warn("Closing WebTransport session {} after its handler ended failed", this.session.id(), ex);
		}

	}

}
