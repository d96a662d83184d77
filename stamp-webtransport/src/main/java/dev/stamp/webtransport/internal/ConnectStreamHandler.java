package dev.stamp.webtransport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;

/**
 * The CONNECT stream of a WebTransport session, on either side: once the session exists, the DATA frames that follow
 * carry its capsules.
 */
public abstract class ConnectStreamHandler extends Http3RequestStreamInboundHandler {

	/** The session, once the CONNECT was answered with 200. */
	protected SessionImpl session;

	@Override
	protected final void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
		try {
			if (this.session != null) {
				this.session.onConnectStreamData(frame.content());
			}
			else {
				onDataBeforeSession(frame.content());
			}
		}
		finally {
			// Capsule bytes were copied by the decoder; the frame ends here.
			frame.release();
		}
	}

	/** Body bytes before any session: a rejection's reason. The caller keeps ownership of {@code content}. */
	protected void onDataBeforeSession(ByteBuf content) {
	}

}
