package dev.stamp.boot.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;

/**
 * Drops read requests once the peer has shut down its output (FIN): there is nothing left
 * to read, and with Netty 4.2's epoll transport such a read fails ({@code epoll_ctl}
 * ENOENT) and closes the channel, failing the writes of the reply still queued. Both the
 * blocking connection and Reactor Netty's inbound flux request reads while they drain
 * what arrived before the FIN.
 */
final class ReadAfterInputShutdownGuard extends ChannelOutboundHandlerAdapter {

	static final String NAME = "stamp.tcp.readGuard";

	@Override
	public void read(ChannelHandlerContext ctx) {
		if (ctx.channel() instanceof SocketChannel socket && socket.isInputShutdown()) {
			return;
		}
		ctx.read();
	}

}
