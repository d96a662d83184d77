package dev.stamp.webtransport.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;

import dev.stamp.webtransport.internal.ControlStreamObserver;
import dev.stamp.webtransport.internal.StreamTypeDispatch;
import dev.stamp.webtransport.protocol.WebTransportSettings;

/**
 * Netty's HTTP/3 client connection handler, except that server-opened bidirectional
 * streams are left alone: Netty would treat them as a protocol error, but WebTransport
 * servers open them. The {@link dev.stamp.webtransport.internal.PeerStreamInterceptor}
 * behind this handler gives them a {@code BidiStreamSniffer} that reads the 0x41 header.
 */
final class ClientHttp3ConnectionHandler extends Http3ClientConnectionHandler {

	ClientHttp3ConnectionHandler(long maxStreamsPerSession) {
		super(ControlStreamObserver.INSTANCE, null, StreamTypeDispatch.INSTANCE,
				WebTransportSettings.localSettings(1, maxStreamsPerSession), true, WebTransportSettings.VALIDATOR);
	}

	@Override
	protected void initBidirectionalStream(ChannelHandlerContext ctx, QuicStreamChannel streamChannel) {
		// Intentionally empty: no HTTP/3 request handlers for server-opened streams (see
		// class comment).
	}

}
