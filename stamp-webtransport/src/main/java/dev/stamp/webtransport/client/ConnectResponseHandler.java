package dev.stamp.webtransport.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.internal.ConnectStreamHandler;
import dev.stamp.webtransport.internal.ConnectionState;
import dev.stamp.webtransport.internal.SessionImpl;
import dev.stamp.webtransport.internal.SessionInfo;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import reactor.core.publisher.MonoSink;

/**
 * The client side of one extended CONNECT: turns a 200 answer into a session (anything else fails the connect), then
 * carries the session's capsules.
 */
final class ConnectResponseHandler extends ConnectStreamHandler {

	private final String path;

	private final Http3Headers requestHeaders;

	private final MonoSink<WebTransportSession> result;

	ConnectResponseHandler(String path, Http3Headers requestHeaders, MonoSink<WebTransportSession> result) {
		this.path = path;
		this.requestHeaders = requestHeaders;
		this.result = result;
	}

	@Override
	protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
		if (this.session != null) {
			return;
		}
		QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
		ConnectionState connection = ConnectionState.of(stream.parent());
		CharSequence status = frame.headers().status();
		if (status == null || !"200".contentEquals(status)) {
			connection.requestStreamDone(stream.streamId());
			this.result.error(new WebTransportSessionException("Server answered the WebTransport CONNECT to "
					+ this.path + " with status " + status, null));
			ctx.close();
			return;
		}
		Map<String, List<String>> headers = new LinkedHashMap<>();
		this.requestHeaders.forEach((entry) -> headers
			.computeIfAbsent(entry.getKey().toString(), (name) -> new ArrayList<>())
			.add(entry.getValue().toString()));
		headers.replaceAll((name, values) -> List.copyOf(values));
		CharSequence origin = this.requestHeaders.get("origin");
		SessionInfo info = new SessionInfo((InetSocketAddress) stream.parent().remoteSocketAddress(), this.path, null,
				String.valueOf(this.requestHeaders.authority()), (origin != null) ? origin.toString() : null,
				Map.copyOf(headers), connection.peerDialect());
		this.session = new SessionImpl(stream.streamId(), stream, connection, info, Map.of(), Map.of());
		connection.stats().tryReserveSession(Integer.MAX_VALUE); // released when the session ends
		connection.stats().sessionAccepted();
		connection.registerSession(this.session);
		this.result.success(this.session);
	}

	@Override
	protected void channelInputClosed(ChannelHandlerContext ctx) {
		if (this.session != null) {
			this.session.onConnectStreamInputClosed();
		}
		else {
			this.result.error(new WebTransportSessionException("Server ended the CONNECT stream without answering"));
		}
	}

	@Override
	protected void handleQuicException(ChannelHandlerContext ctx, QuicException exception) {
		if (this.session != null) {
			this.session.terminate(new SessionCloseInfo(0, "CONNECT stream reset", true), false);
		}
		else {
			this.result.error(new WebTransportSessionException("CONNECT failed", exception));
		}
		ctx.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (this.session != null) {
			this.session.onConnectStreamClosed();
		}
		else {
			this.result.error(new WebTransportSessionException("CONNECT stream closed before the server answered"));
		}
		ctx.fireChannelInactive();
	}

}
