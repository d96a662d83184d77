package dev.stamp.boot.tcp;

import javax.net.ssl.SSLSession;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;

/**
 * Lets a TLS 1.3 client end its side with close_notify and still read the reply, as RFC
 * 8446 (section 6.1) allows and as a FIN does in plain TCP. Reactor Netty closes the
 * connection on close_notify, failing the reply's queued writes; right behind the
 * {@link SslHandler}, this handler turns a TLS 1.3 close_notify into the end of input
 * instead. Under TLS 1.2, whose close_notify closes the connection (RFC 5246), the event
 * passes on unchanged.
 */
final class TlsHalfClose extends ChannelInboundHandlerAdapter {

	static final String NAME = "stamp.tcp.tlsHalfClose";

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof SslCloseCompletionEvent closed && closed.isSuccess() && isTls13(ctx)) {
			ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
			return;
		}
		ctx.fireUserEventTriggered(event);
	}

	private static boolean isTls13(ChannelHandlerContext ctx) {
		SslHandler ssl = ctx.pipeline().get(SslHandler.class);
		SSLSession session = (ssl != null) ? ssl.engine().getSession() : null;
		return session != null && "TLSv1.3".equals(session.getProtocol());
	}

}
