package dev.stamp.webtransport.client;

import java.net.InetSocketAddress;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportSessionException;
import dev.stamp.webtransport.internal.ConnectionState;
import dev.stamp.webtransport.internal.DecoderFailureGuard;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

/**
 * One QUIC connection of a {@link WebTransportClient}, on which sessions are opened with
 * {@link #openSession(String, Map)}. Closing it ends all its sessions.
 */
public final class WebTransportClientConnection implements AutoCloseable {

	private final QuicChannel channel;

	private final String authority;

	WebTransportClientConnection(QuicChannel channel, String authority) {
		this.channel = channel;
		this.authority = authority;
	}

	/**
	 * The server's address.
	 * @return the server's address
	 */
	public InetSocketAddress remoteAddress() {
		return (InetSocketAddress) this.channel.remoteSocketAddress();
	}

	/**
	 * The underlying QUIC channel (for tests and diagnostics).
	 * @return the QUIC channel
	 */
	public QuicChannel quicChannel() {
		return this.channel;
	}

	/**
	 * Opens a WebTransport session with an extended CONNECT.
	 * @param path the path (and query) to connect to
	 * @param extraHeaders additional request headers, for example {@code origin} or
	 * {@code authorization}
	 * @return the session once the server answered 200; fails with
	 * {@link WebTransportSessionException} otherwise
	 */
	public Mono<WebTransportSession> openSession(String path, Map<String, String> extraHeaders) {
		return Mono.create((sink) -> {
			Http3Headers headers = new DefaultHttp3Headers().method("CONNECT")
				.protocol("webtransport")
				.scheme("https")
				.authority(this.authority)
				.path(path);
			headers.add("sec-webtransport-http3-draft02", "1");
			extraHeaders.forEach((name, value) -> headers.add(name.toLowerCase(java.util.Locale.ROOT), value));
			ConnectResponseHandler response = new ConnectResponseHandler(path, headers, sink);
			Http3.newRequestStream(this.channel, new ChannelInitializer<QuicStreamChannel>() {
				@Override
				protected void initChannel(QuicStreamChannel stream) {
					stream.pipeline().addLast(DecoderFailureGuard.INSTANCE, response);
				}
			}).addListener((future) -> {
				if (!future.isSuccess()) {
					sink.error(new WebTransportSessionException("Could not open a CONNECT stream", future.cause()));
					return;
				}
				QuicStreamChannel stream = (QuicStreamChannel) future.getNow();
				stream.config().setAllowHalfClosure(true);
				ConnectionState connection = ConnectionState.of(this.channel);
				connection.requestStreamOpened(stream.streamId());
				stream.writeAndFlush(new DefaultHttp3HeadersFrame(headers)).addListener((written) -> {
					if (!written.isSuccess()) {
						sink.error(new WebTransportSessionException("Could not send CONNECT", written.cause()));
					}
				});
			});
		});
	}

	/**
	 * Opens a session without extra headers.
	 * @param path the request path, optionally with a query
	 * @return the session, once the server accepted it
	 */
	public Mono<WebTransportSession> openSession(String path) {
		return openSession(path, Map.of());
	}

	/** Closes the QUIC connection (H3_NO_ERROR). */
	@Override
	public void close() {
		this.channel.close(true, Http3ErrorCodes.H3_NO_ERROR, Unpooled.EMPTY_BUFFER).awaitUninterruptibly(2000);
	}

}
