package dev.stamp.boot.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Deadlines for a client to send a request head and then its body, so that a client
 * trickling one byte at a time cannot hold a connection forever (each byte would reset an
 * idle timer). Sits before the HTTP decoder to see when a head starts;
 * {@link HttpRequestGuard} tells it when the head and the body are complete, and answers
 * when a deadline passes.
 * <p>
 * One timer per connection at most, and only while a request is arriving: it is not
 * rescheduled per request, but moved on when it fires early. Between requests (an idle
 * keep-alive connection) no deadline runs.
 */
final class HttpRequestDeadlines extends ChannelInboundHandlerAdapter {

	static final String NAME = "stamp.httpRequestDeadlines";

	private enum Phase {

		BETWEEN_REQUESTS, HEAD, BODY

	}

	private final long headerTimeoutNanos;

	private final long bodyTimeoutNanos;

	private final HttpRequestGuard guard;

	private Phase phase = Phase.BETWEEN_REQUESTS;

	private long deadline;

	private ScheduledFuture<?> timer;

	/**
	 * When the timer fires: a deadline before that needs an earlier timer, a later one
	 * waits for it.
	 */
	private long timerDue;

	HttpRequestDeadlines(HttpRequestLimits limits, HttpRequestGuard guard) {
		this.headerTimeoutNanos = nanos(limits.requestHeaderTimeout());
		this.bodyTimeoutNanos = nanos(limits.requestBodyTimeout());
		this.guard = guard;
	}

	private static long nanos(Duration timeout) {
		return HttpRequestLimits.isSet(timeout) ? timeout.toNanos() : 0;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (this.phase == Phase.BETWEEN_REQUESTS && msg instanceof ByteBuf bytes && bytes.isReadable()) {
			enter(ctx, Phase.HEAD, this.headerTimeoutNanos);
		}
		ctx.fireChannelRead(msg);
	}

	/**
	 * The decoder produced a request head; its body, if any, follows.
	 * @param ctx the guard's context
	 * @param bodyFollows whether a body follows the head
	 */
	void headDecoded(ChannelHandlerContext ctx, boolean bodyFollows) {
		if (bodyFollows) {
			enter(ctx, Phase.BODY, this.bodyTimeoutNanos);
		}
		else {
			this.phase = Phase.BETWEEN_REQUESTS;
		}
	}

	/** The decoder produced the end of a request body. */
	void bodyDecoded() {
		this.phase = Phase.BETWEEN_REQUESTS;
	}

	private void enter(ChannelHandlerContext ctx, Phase next, long timeoutNanos) {
		if (timeoutNanos == 0) {
			this.phase = Phase.BETWEEN_REQUESTS;
			return;
		}
		this.phase = next;
		this.deadline = System.nanoTime() + timeoutNanos;
		if (this.timer == null || this.deadline - this.timerDue < 0) {
			cancelTimer();
			schedule(ctx, timeoutNanos);
		}
	}

	private void schedule(ChannelHandlerContext ctx, long delayNanos) {
		this.timerDue = System.nanoTime() + delayNanos;
		this.timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void cancelTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	private void check(ChannelHandlerContext ctx) {
		this.timer = null;
		if (this.phase == Phase.BETWEEN_REQUESTS || !ctx.channel().isActive()) {
			return;
		}
		long left = this.deadline - System.nanoTime();
		if (left > 0) {
			schedule(ctx, left);
			return;
		}
		Phase expired = this.phase;
		this.phase = Phase.BETWEEN_REQUESTS;
		if (expired == Phase.HEAD) {
			this.guard.headerTimedOut(Duration.ofNanos(this.headerTimeoutNanos));
		}
		else {
			this.guard.bodyTimedOut(Duration.ofNanos(this.bodyTimeoutNanos));
		}
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelTimer();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		handlerRemoved(ctx);
		ctx.fireChannelInactive();
	}

}
