package dev.stamp.webtransport.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.http3.Http3GoAwayFrame;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The inbound control stream handler given to Netty's HTTP/3 connection handler: records
 * the peer's SETTINGS (its WebTransport dialect) and GOAWAY. Shared by every connection
 * (the state it records hangs on the QUIC channel). It also does the job of the
 * {@link CriticalStreamErrorHandler} that the stream got before its type was known, and
 * takes that handler out of the pipeline: the control stream stays open for the whole
 * connection, and one handler less is one context less per connection.
 */
@ChannelHandler.Sharable
public final class ControlStreamObserver extends ChannelInboundHandlerAdapter {

	/** The shared instance. */
	public static final ControlStreamObserver INSTANCE = new ControlStreamObserver();

	private ControlStreamObserver() {
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.pipeline().context(CriticalStreamErrorHandler.INSTANCE) != null) {
			ctx.pipeline().remove(CriticalStreamErrorHandler.INSTANCE);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		try {
			ConnectionState connection = ConnectionState.require(ctx);
			if (msg instanceof Http3SettingsFrame) {
				connection.onPeerSettings(((Http3SettingsFrame) msg).settings());
			}
			else if (msg instanceof Http3GoAwayFrame) {
				connection.onGoAway();
			}
		}
		finally {
			// Last handler of the control stream: control frames end here.
			ReferenceCountUtil.release(msg);
		}
	}

	/**
	 * As {@link CriticalStreamErrorHandler}: an {@link Http3Exception} Netty fires here
	 * has already closed the connection with its code; it is the peer's error, counted
	 * rather than logged with a stack trace.
	 */
	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		CriticalStreamErrorHandler.INSTANCE.exceptionCaught(ctx, cause);
	}

}
