package dev.stamp.webtransport.internal;

import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

import dev.stamp.webtransport.protocol.Http3ErrorCodes;

/**
 * Holds a peer stream whose session is not known yet. Reading stops (auto-read off) so
 * QUIC flow control holds further data at the peer; bytes already read are kept within
 * the connection's pending budget. When the session appears,
 * {@link #promote(SessionImpl)} hands the stream and its bytes over; on expiry or
 * overflow the stream is refused. This handler owns the buffered {@link ByteBuf}s until
 * it passes them on or releases them.
 */
final class PendingStreamHandler extends ChannelInboundHandlerAdapter {

	private final EarlyDataBuffer buffer;

	private final QuicStreamChannel stream;

	private final long sessionId;

	private final long deadlineNanos;

	private final ArrayDeque<ByteBuf> buffered = new ArrayDeque<>();

	private ChannelHandlerContext ctx;

	private int bufferedBytes;

	private boolean inputEnded;

	private boolean done;

	/**
	 * Inside {@link #promote}: reads that happen now (the new handler may ask for one)
	 * queue behind the replay.
	 */
	private boolean promoting;

	PendingStreamHandler(EarlyDataBuffer buffer, QuicStreamChannel stream, long sessionId, long deadlineNanos) {
		this.buffer = buffer;
		this.stream = stream;
		this.sessionId = sessionId;
		this.deadlineNanos = deadlineNanos;
	}

	long sessionId() {
		return this.sessionId;
	}

	long deadlineNanos() {
		return this.deadlineNanos;
	}

	int bufferedBytes() {
		return this.bufferedBytes;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		ctx.channel().config().setAutoRead(false);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof ByteBuf)) {
			ReferenceCountUtil.release(msg);
			return;
		}
		ByteBuf data = (ByteBuf) msg;
		if (this.promoting) {
			this.buffered.add(data); // promote() passes it on, in order
			return;
		}
		if (this.done) {
			data.release(); // refused
			return;
		}
		if (!this.buffer.reserveBytes(data.readableBytes())) {
			data.release();
			this.buffer.streamOverflowed(this);
			refuse(Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);
			return;
		}
		// Kept until promote() passes it on or releaseBuffered() drops it.
		this.buffered.add(data);
		this.bufferedBytes += data.readableBytes();
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		if (evt instanceof ChannelInputShutdownEvent) {
			this.inputEnded = true; // passed on by promote(), after the bytes
		}
		ReferenceCountUtil.release(evt);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		this.buffer.streamGone(this);
		releaseBuffered();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		this.buffer.streamGone(this);
		releaseBuffered();
		ctx.close();
	}

	/**
	 * The session is known now: attach the stream and replay what was buffered. The
	 * stream handler attached behind this one may read at once, re-entering
	 * {@link #channelRead} before this handler is gone; such bytes queue behind the
	 * buffered ones so that nothing is lost or reordered.
	 * @param session the stream's session
	 */
	void promote(SessionImpl session) {
		if (this.done) {
			return;
		}
		this.done = true;
		// The bytes leave the connection's budget with the stream.
		returnBudget();
		if (!session.attachPeerStream(this.stream)) {
			releaseBuffered();
			return;
		}
		this.promoting = true;
		try {
			do {
				// Ownership of each buffer passes to the stream handler installed after
				// this one.
				ByteBuf data;
				while ((data = this.buffered.poll()) != null) {
					this.ctx.fireChannelRead(data);
				}
				this.ctx.fireChannelReadComplete();
			}
			while (!this.buffered.isEmpty());
			if (this.inputEnded) {
				this.ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
			}
		}
		finally {
			this.promoting = false;
			this.ctx.pipeline().remove(this);
		}
	}

	/**
	 * The stream is refused: it stops waiting, its bytes are dropped and given back to
	 * the connection's budget, and it is aborted. Does nothing once the stream was
	 * refused or handed over.
	 * @param http3Code the HTTP/3 error code to abort with
	 */
	void refuse(long http3Code) {
		if (this.done) {
			return; // refused already, or handed over
		}
		this.done = true;
		this.buffer.streamGone(this);
		releaseBuffered();
		SessionImpl.abortChannel(this.stream, http3Code);
	}

	/**
	 * Drops the buffered bytes and gives what they reserved back to the connection's
	 * budget.
	 */
	void releaseBuffered() {
		ByteBuf data;
		while ((data = this.buffered.poll()) != null) {
			data.release();
		}
		returnBudget();
	}

	/**
	 * Gives the bytes this stream reserved back to the connection's budget, once: the
	 * count is what this handler holds reserved.
	 */
	private void returnBudget() {
		int bytes = this.bufferedBytes;
		this.bufferedBytes = 0;
		this.buffer.releaseBytes(bytes);
	}

}
