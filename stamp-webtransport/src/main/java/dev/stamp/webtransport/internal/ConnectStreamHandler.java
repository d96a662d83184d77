package dev.stamp.webtransport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;

/**
 * The CONNECT stream of a WebTransport session, on either side: once the session exists,
 * the DATA frames that follow carry its capsules.
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

	/**
	 * Netty's HTTP/3 codec found the peer's frames on this stream malformed and closed
	 * the connection with the error's code: a peer error, not a failure of ours (Netty
	 * would log it at ERROR with a stack trace).
	 */
	@Override
	protected final void handleHttp3Exception(ChannelHandlerContext ctx, Http3Exception exception) {
		// Netty already closes the connection with the error's code; closing the stream
		// first would end it cleanly.
		ConnectionState.require(ctx).http3Error(exception, "a request stream");
	}

	/**
	 * Body bytes before any session: a rejection's reason. The caller keeps ownership of
	 * {@code content}.
	 * @param content the body bytes
	 */
	protected void onDataBeforeSession(ByteBuf content) {
	}

}
