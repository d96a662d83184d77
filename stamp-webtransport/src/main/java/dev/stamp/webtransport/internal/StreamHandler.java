package dev.stamp.webtransport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a WebTransport data stream's pipeline: hands bytes, FIN, resets,
 * writability and closure to its {@link StreamImpl}. Reading is driven by the stream
 * (auto-read is off), see {@link StreamImpl#RECEIVE_WINDOW}.
 */
final class StreamHandler extends ChannelInboundHandlerAdapter {

	private final StreamImpl stream;

	StreamHandler(StreamImpl stream) {
		this.stream = stream;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		ctx.channel().config().setAutoRead(false);
		if (ctx.channel().isActive() && this.stream.canReceive()) {
			// Not synchronously: this handler may be added while a decoder in front of it
			// is inside channelRead, and a nested read would re-enter that decoder.
			ctx.executor().execute(ctx::read);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		if (this.stream.canReceive()) {
			ctx.read();
		}
		ctx.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (logger.isTraceEnabled()) {
			logger.trace("Stream {} read {}", this.stream.id(), msg);
		}
		try {
			if (msg instanceof ByteBuf) {
				this.stream.onData((ByteBuf) msg);
			}
		}
		finally {
			// onData copied the bytes: this handler is the buffer's last owner.
			ReferenceCountUtil.release(msg);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		this.stream.onReadComplete();
	}

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(StreamHandler.class);

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		if (logger.isTraceEnabled()) {
			logger.trace("Stream {}: {}", this.stream.id(), evt);
		}
		if (evt instanceof ChannelInputShutdownEvent || evt instanceof ChannelInputShutdownReadComplete) {
			this.stream.onInputFinished();
		}
		ReferenceCountUtil.release(evt);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		this.stream.onWritabilityChanged();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof QuicStreamResetException) {
			this.stream.onReset(((QuicStreamResetException) cause).applicationProtocolCode());
			return;
		}
		ctx.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (logger.isTraceEnabled()) {
			logger.trace("Stream {} closed", this.stream.id());
		}
		this.stream.onClosed();
	}

}
