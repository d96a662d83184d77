package dev.stamp.webtransport.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3GoAwayFrame;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The inbound control stream handler given to Netty's HTTP/3 connection handler: records
 * the peer's SETTINGS (its WebTransport dialect) and GOAWAY. One instance per connection.
 */
public final class ControlStreamObserver extends ChannelInboundHandlerAdapter {

	private final ConnectionState connection;

	public ControlStreamObserver(ConnectionState connection) {
		this.connection = connection;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		try {
			if (msg instanceof Http3SettingsFrame) {
				this.connection.onPeerSettings(((Http3SettingsFrame) msg).settings());
			}
			else if (msg instanceof Http3GoAwayFrame) {
				this.connection.onGoAway();
			}
		}
		finally {
			// Last handler of the control stream: control frames end here.
			ReferenceCountUtil.release(msg);
		}
	}

	@Override
	public boolean isSharable() {
		return false;
	}

}
