package dev.stamp.webtransport.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import org.jspecify.annotations.Nullable;

/**
 * Placed right after Netty's HTTP/3 connection handler on the QUIC channel: sees every
 * peer-opened stream after Netty prepared its pipeline but before it is registered, and
 * puts a {@link BidiStreamSniffer} in front of each bidirectional one. This is the "0x41
 * interception" (Netty has no hook for WebTransport bidirectional streams).
 * Unidirectional ones get a {@link CriticalStreamErrorHandler} at the end. Everything
 * else is a {@link DatagramHandler}'s and, for an interceptor made with
 * {@link #withErrors(boolean, ConnectionErrorHandler)}, a
 * {@link ConnectionErrorHandler}'s: one handler context on every connection instead of
 * three.
 */
@ChannelHandler.Sharable
public final class PeerStreamInterceptor extends DatagramHandler {

	/** The instance every server connection shares: the interceptor holds no state. */
	public static final PeerStreamInterceptor SERVER = new PeerStreamInterceptor(true);

	/** The instance every client connection shares. */
	public static final PeerStreamInterceptor CLIENT = new PeerStreamInterceptor(false);

	private final boolean server;

	private final @Nullable ConnectionErrorHandler errors;

	private PeerStreamInterceptor(boolean server) {
		this(server, null);
	}

	private PeerStreamInterceptor(boolean server, @Nullable ConnectionErrorHandler errors) {
		this.server = server;
		this.errors = errors;
	}

	/**
	 * An interceptor that is also the last handler of the connection's pipeline, doing
	 * the job of {@code errors} there; shared by every connection of one engine.
	 * @param server whether the connections are a server's
	 * @param errors where the peer's errors are counted
	 * @return the interceptor
	 */
	public static PeerStreamInterceptor withErrors(boolean server, ConnectionErrorHandler errors) {
		return new PeerStreamInterceptor(server, errors);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (this.errors == null || !this.errors.recordPeerError(ctx, cause)) {
			ctx.fireExceptionCaught(cause);
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		if (this.errors != null) {
			this.errors.recordClose(ctx, evt);
		}
		super.userEventTriggered(ctx, evt);
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
