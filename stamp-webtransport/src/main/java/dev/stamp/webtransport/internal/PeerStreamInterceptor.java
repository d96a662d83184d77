package dev.stamp.webtransport.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;

/**
 * Placed right after Netty's HTTP/3 connection handler on the QUIC channel: sees every
 * peer-opened stream after Netty prepared its pipeline but before it is registered, and
 * puts a {@link BidiStreamSniffer} in front of each bidirectional one. This is the "0x41
 * interception" (Netty has no hook for WebTransport bidirectional streams).
 * Unidirectional ones get a {@link CriticalStreamErrorHandler} at the end. Everything
 * else is a {@link DatagramHandler}'s: one handler context on every connection instead of
 * two.
 */
@ChannelHandler.Sharable
public final class PeerStreamInterceptor extends DatagramHandler {

	/** The instance every server connection shares: the interceptor holds no state. */
	public static final PeerStreamInterceptor SERVER = new PeerStreamInterceptor(true);

	/** The instance every client connection shares. */
	public static final PeerStreamInterceptor CLIENT = new PeerStreamInterceptor(false);

	private final boolean server;

	private PeerStreamInterceptor(boolean server) {
		this.server = server;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof QuicStreamChannel) {
			QuicStreamChannel stream = (QuicStreamChannel) msg;
			if (!stream.isLocalCreated()) {
				if (stream.type() == QuicStreamType.BIDIRECTIONAL) {
					stream.pipeline().addFirst(new BidiStreamSniffer(this.server));
				}
				else {
					stream.pipeline().addLast(CriticalStreamErrorHandler.INSTANCE);
				}
			}
			ctx.fireChannelRead(msg);
			return;
		}
		super.channelRead(ctx, msg);
	}

}
