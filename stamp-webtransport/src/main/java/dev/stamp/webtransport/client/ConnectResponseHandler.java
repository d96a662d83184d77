package dev.stamp.webtransport.client;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import reactor.core.publisher.MonoSink;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.internal.ConnectStreamHandler;
import dev.stamp.webtransport.internal.ConnectionState;
import dev.stamp.webtransport.internal.RequestHeaders;
import dev.stamp.webtransport.internal.SessionImpl;
import dev.stamp.webtransport.internal.SessionInfo;

/**
 * The client side of one extended CONNECT: turns a 200 answer into a session (anything
 * else fails the connect), then carries the session's capsules.
 */
final class ConnectResponseHandler extends ConnectStreamHandler {

	/** Characters of a rejection's reason kept for the error message. */
	private static final int MAX_REASON_LENGTH = 1000;

	private final String path;

	private final Http3Headers requestHeaders;

	private final MonoSink<WebTransportSession> result;

	/**
	 * The status of a rejection, until the stream ends and the failure (with the body as
	 * reason) is reported.
	 */
	private CharSequence rejectedStatus;

	private final StringBuilder rejectionReason = new StringBuilder();

	private boolean failed;

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
			this.rejectedStatus = String.valueOf(status);
			return; // the reason may follow as a body; reported when the stream ends
		}
		RequestHeaders headers = RequestHeaders.copyOf(this.requestHeaders);
		SessionInfo info = new SessionInfo((InetSocketAddress) stream.parent().remoteSocketAddress(), this.path, null,
				String.valueOf(headers.first(":authority")), headers.first("origin"), headers,
				connection.peerDialect());
		this.session = new SessionImpl(stream.streamId(), stream, connection, info, Map.of(), Map.of());
		connection.stats().tryReserveSession(Integer.MAX_VALUE); // released when the
																	// session ends
		connection.stats().sessionAccepted();
		connection.registerSession(this.session);
		this.result.success(this.session);
	}

	@Override
	protected void onDataBeforeSession(ByteBuf content) {
		if (this.rejectedStatus != null && this.rejectionReason.length() < MAX_REASON_LENGTH) {
			this.rejectionReason.append(content.toString(StandardCharsets.UTF_8));
		}
	}

	@Override
	protected void channelInputClosed(ChannelHandlerContext ctx) {
		if (this.session != null) {
			this.session.onConnectStreamInputClosed();
		}
		else if (this.rejectedStatus != null) {
			failRejected(ctx);
		}
		else {
			fail(new WebTransportSessionException("Server ended the CONNECT stream without answering"));
		}
	}

	private void failRejected(ChannelHandlerContext ctx) {
		String reason = this.rejectionReason.toString().strip();
		if (reason.length() > MAX_REASON_LENGTH) {
			reason = reason.substring(0, MAX_REASON_LENGTH);
		}
		fail(new WebTransportSessionException("Server answered the WebTransport CONNECT to " + this.path
				+ " with status " + this.rejectedStatus + (reason.isEmpty() ? "" : ": " + reason), null));
		ctx.close();
	}

	private void fail(Throwable error) {
		if (!this.failed) {
			this.failed = true;
			this.result.error(error);
		}
	}

	@Override
	protected void handleQuicException(ChannelHandlerContext ctx, QuicException exception) {
		if (this.session != null) {
			this.session.terminate(new SessionCloseInfo(0, "CONNECT stream reset", true), false);
		}
		else {
			fail(new WebTransportSessionException("CONNECT failed", exception));
		}
		ctx.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (this.session != null) {
			this.session.onConnectStreamClosed();
		}
		else if (this.rejectedStatus != null) {
			failRejected(ctx);
		}
		else {
			fail(new WebTransportSessionException("CONNECT stream closed before the server answered"));
		}
		ctx.fireChannelInactive();
	}

}
