package dev.stamp.boot.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads and discards what a peer still sends once the server has sent its FIN, and closes
 * the connection when the peer's FIN arrives: a socket closed with unread input would be
 * reset instead of closed. Installed first in the pipeline, so nothing behind it sees
 * these bytes, and they do not count as traffic for the idle timeout.
 */
final class InputDiscarder extends ChannelInboundHandlerAdapter {

	static final String NAME = "stamp.inputDiscarder";

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		ctx.channel().config().setAutoRead(true);
		ctx.read();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object message) {
		ReferenceCountUtil.release(message);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof ChannelInputShutdownEvent) {
			ctx.close();
		}
		ctx.fireUserEventTriggered(event);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// The peer reset the connection after it got our FIN: nothing is lost any more.
		ctx.close();
	}

}
