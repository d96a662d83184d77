package dev.stamp.boot.http;

import java.time.Duration;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

import dev.stamp.boot.listener.OrderlyClose;
import dev.stamp.core.PeerErrors;

/**
 * Refuses HTTP/1.1 requests that could be framed two ways (request smuggling) or are
 * otherwise malformed, below Reactor Netty: sits right after the HTTP decoder, so a
 * refused request never reaches a handler.
 * <p>
 * A refused request is answered with a short plain-text 4xx and
 * {@code Connection: close}, after the responses still owed to earlier pipelined
 * requests, and the connection is closed; nothing the client sent after it is processed.
 * The decoder's own failures (malformed lines, bad lengths, bad chunks, overlong heads)
 * are answered here too, so that each is counted in the listener's {@link PeerErrors} and
 * logged once per burst instead of once per request. With {@link HttpRequestLimits}
 * deadlines, a head or body that takes too long is answered 408.
 * <p>
 * Install with {@link #install(ChannelPipeline, HttpRequestLimits, PeerErrors)} from a
 * Reactor Netty {@code doOnChannelInit}, once the HTTP codec is in the pipeline.
 */
public final class HttpRequestGuard extends ChannelDuplexHandler {

	static final String NAME = "stamp.httpRequestGuard";

	private static final AttributeKey<Boolean> ANSWERED = AttributeKey.valueOf("stamp.http.answeredByGuard");

	private static final HttpResponseStatus REQUEST_TIMEOUT = HttpResponseStatus.REQUEST_TIMEOUT;

	private static final int SWITCHING_PROTOCOLS = 101;

	/**
	 * How long input is still read (and dropped) after the answer, before the connection
	 * closes.
	 */
	private static final Duration LINGER = Duration.ofSeconds(2);

	private final PeerErrors peerErrors;

	private HttpRequestDeadlines deadlines;

	private ChannelHandlerContext ctx;

	/** Request heads passed on to Reactor Netty; the n-th is owed the n-th response. */
	private int requestsPassed;

	private int responsesStarted;

	private int responsesFinished;

	/** Whether the body of the last request passed on is still arriving. */
	private boolean inBody;

	private boolean refused;

	/**
	 * Whether the output is shut down and the connection closes once the client has had
	 * time to read the answer.
	 */
	private boolean lingering;

	/**
	 * The answer to the refused request, written once the responses owed before it are.
	 */
	private FullHttpResponse answer;

	/**
	 * How many responses must be finished before the answer is written (or, without one,
	 * the connection closed).
	 */
	private int answerAfter;

	private HttpRequestGuard(PeerErrors peerErrors) {
		this.peerErrors = peerErrors;
	}

	/**
	 * Adds the guard (and the deadlines, if any) around the HTTP codec of a Reactor Netty
	 * HTTP/1.1 pipeline.
	 * @param pipeline a connection's pipeline, with Reactor Netty's HTTP codec already
	 * added
	 * @param limits deadlines for request heads and bodies
	 * @param peerErrors where refusals are counted and logged
	 */
	public static void install(ChannelPipeline pipeline, HttpRequestLimits limits, PeerErrors peerErrors) {
		if (pipeline.get(NettyPipeline.HttpCodec) == null) {
			return;
		}
		HttpRequestGuard guard = new HttpRequestGuard(peerErrors);
		pipeline.addAfter(NettyPipeline.HttpCodec, NAME, guard);
		if (limits.hasDeadlines()) {
			guard.deadlines = new HttpRequestDeadlines(limits, guard);
			pipeline.addBefore(NettyPipeline.HttpCodec, HttpRequestDeadlines.NAME, guard.deadlines);
		}
	}

	/**
	 * Whether the guard has answered on this connection itself: a request in flight there
	 * gets no response from its handler, and a body it was reading ends with an error.
	 * @param channel the connection's channel
	 * @return {@code true} if the guard answered
	 */
	public static boolean hasAnswered(Channel channel) {
		return channel.hasAttr(ANSWERED) && Boolean.TRUE.equals(channel.attr(ANSWERED).get());
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (this.refused) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (msg instanceof HttpRequest request) {
			HttpRequestChecks.Violation violation = (request.decoderResult().isFailure())
					? HttpRequestChecks.decoderFailure(request.decoderResult(), false)
					: HttpRequestChecks.check(request);
			if (violation != null || request.decoderResult().isFailure()) {
				ReferenceCountUtil.release(msg);
				refuse(violation, request.decoderResult().cause(), false);
				return;
			}
			this.requestsPassed++;
			this.inBody = !(msg instanceof LastHttpContent);
			if (this.deadlines != null) {
				this.deadlines.headDecoded(ctx, this.inBody);
			}
		}
		else if (msg instanceof HttpContent content) {
			if (content.decoderResult().isFailure()) {
				ReferenceCountUtil.release(msg);
				refuse(HttpRequestChecks.decoderFailure(content.decoderResult(), true), content.decoderResult().cause(),
						this.inBody);
				return;
			}
			if (msg instanceof LastHttpContent) {
				this.inBody = false;
				if (this.deadlines != null) {
					this.deadlines.bodyDecoded();
				}
			}
		}
		else if (msg instanceof DecoderResultProvider provider && provider.decoderResult().isFailure()) {
			ReferenceCountUtil.release(msg);
			refuse(HttpRequestChecks.decoderFailure(provider.decoderResult(), false), provider.decoderResult().cause(),
					false);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	void headerTimedOut(Duration timeout) {
		if (!this.refused) {
			refuse(new HttpRequestChecks.Violation("header-timeout", REQUEST_TIMEOUT, "Request Timeout"), null, false,
					"request head not complete within " + timeout);
		}
	}

	void bodyTimedOut(Duration timeout) {
		if (!this.refused) {
			refuse(new HttpRequestChecks.Violation("body-timeout", REQUEST_TIMEOUT, "Request Timeout"), null,
					this.inBody, "request body not complete within " + timeout);
		}
	}

	private void refuse(HttpRequestChecks.Violation violation, Throwable cause, boolean duringBody) {
		refuse(violation, cause, duringBody, (violation != null) ? violation.reason() : null);
	}

	/**
	 * Stops processing the connection: answers the offending request once the responses
	 * owed before it are written, then closes.
	 * @param duringBody whether the offending request is the one whose body was arriving
	 * (already passed on)
	 * @param violation what is wrong with the request
	 * @param cause the decoder's exception, or {@code null}
	 * @param detail what was wrong, for the log
	 */
	private void refuse(HttpRequestChecks.Violation violation, Throwable cause, boolean duringBody, String detail) {
		this.refused = true;
		this.ctx.channel().attr(ANSWERED).set(Boolean.TRUE);
		int offending = duringBody ? this.requestsPassed : this.requestsPassed + 1;
		this.answerAfter = offending - 1;
		if (violation == null) {
			// The peer closed mid-request: nobody is left to answer.
			this.ctx.close();
			return;
		}
		boolean answered = this.responsesStarted >= offending;
		this.peerErrors.record(violation.kind(), this.ctx.channel().remoteAddress(),
				detail + "; " + (answered ? "closed" : "answered " + violation.status().code() + " and closed"), cause);
		if (answered) {
			// Its response is already on its way (a 413 before the body, say): close once
			// it is out.
			this.answerAfter = offending;
		}
		else {
			this.answer = PlainResponses.closing(violation.status(), violation.reason());
		}
		answerWhenDue();
	}

	private void answerWhenDue() {
		if (this.responsesFinished < this.answerAfter || this.responsesStarted > this.responsesFinished) {
			return;
		}
		FullHttpResponse due = this.answer;
		this.answer = null;
		this.answerAfter = Integer.MAX_VALUE;
		if (due == null) {
			closeGracefully();
			return;
		}
		this.ctx.writeAndFlush(due).addListener((written) -> closeGracefully());
	}

	/**
	 * Closing with unread input makes the kernel send a reset, which can destroy the
	 * answer before the client reads it (the rest of an overlong head, a pipelined
	 * request). So the output is shut down (FIN after the answer), and input is read and
	 * dropped until the client closes too, for a short while.
	 */
	private void closeGracefully() {
		lingerThenClose(this.ctx.newPromise());
	}

	private void lingerThenClose(ChannelPromise promise) {
		if (this.lingering) {
			this.ctx.close(promise);
			return;
		}
		this.lingering = true;
		// What still arrives belongs to a request nobody will answer.
		this.refused = true;
		// The close asked for is done when the connection is, after the client has had
		// time to read the answer.
		this.ctx.channel().closeFuture().addListener((closed) -> promise.trySuccess());
		OrderlyClose.start(this.ctx.channel(), LINGER);
	}

	/**
	 * Reactor Netty closes a connection right after a response with
	 * {@code Connection: close}, even when it was sent before the request's body was read
	 * (a 413, a route that ignores the body): that close lingers too, so the client reads
	 * the answer instead of a reset.
	 */
	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
		if (!this.lingering && this.inBody && this.responsesFinished == this.requestsPassed) {
			lingerThenClose(promise);
			return;
		}
		ctx.close(promise);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		boolean informational = msg instanceof HttpResponse response
				&& response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
		if (informational && ((HttpResponse) msg).status().code() == SWITCHING_PROTOCOLS) {
			// What follows is no longer HTTP/1.1 (a WebSocket, say): no more requests to
			// guard or deadlines to keep.
			ctx.write(msg, promise);
			if (this.deadlines != null) {
				ctx.pipeline().remove(this.deadlines);
			}
			ctx.pipeline().remove(this);
			return;
		}
		if (!informational) {
			if (msg instanceof HttpResponse) {
				this.responsesStarted++;
			}
			if (msg instanceof LastHttpContent) {
				this.responsesFinished++;
			}
		}
		ctx.write(msg, promise);
		if (this.refused && msg instanceof LastHttpContent) {
			answerWhenDue();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		releaseAnswer();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		releaseAnswer();
	}

	private void releaseAnswer() {
		if (this.answer != null) {
			this.answer.release();
			this.answer = null;
		}
	}

}
