package dev.stamp.benchmarks;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * The peers that mark the limit: a raw Netty TCP echo server, and raw Reactor Netty HTTP
 * and WebSocket servers doing what the Stamp routes do with nothing in between.
 */
final class RawServers implements AutoCloseable {

	/**
	 * WebSocket sessions open on the raw peer, for the memory scenario's sanity check.
	 */
	static final AtomicInteger rawWebSocketSessions = new AtomicInteger();

	private final EventLoopGroup nettyGroup;

	private Channel tcp;

	private DisposableServer http;

	private DisposableServer httpWithTimeouts;

	private DisposableServer reactorTcp;

	private DisposableServer webSocket;

	RawServers() {
		// As many event loops as Reactor Netty (and so Stamp) uses by default.
		this.nettyGroup = Transports.group("raw-netty", LoopResources.DEFAULT_IO_WORKER_COUNT);
	}

	int startTcpEcho() throws InterruptedException {
		this.tcp = new ServerBootstrap().group(this.nettyGroup)
			.channel(Transports.serverChannel())
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(EchoHandler.INSTANCE)
			.bind("127.0.0.1", 0)
			.sync()
			.channel();
		return ((InetSocketAddress) this.tcp.localAddress()).getPort();
	}

	/**
	 * Diagnostic peer: the same echo on Reactor Netty's {@code TcpServer}, which Stamp's
	 * TCP listener is built on, to separate what Reactor Netty costs over raw Netty from
	 * what Stamp adds.
	 */
	int startReactorNettyTcpEcho() {
		this.reactorTcp = TcpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((inbound, outbound) -> outbound.send(inbound.receive().retain()))
			.bindNow();
		return this.reactorTcp.port();
	}

	int startHttp() {
		this.http = hello(HttpServer.create()).bindNow();
		return this.http.port();
	}

	/**
	 * Diagnostic peer: the raw server with the Reactor Netty idle and read timeouts that
	 * Stamp's HTTP listener sets (its {@code idle-timeout}, 60 s by default), to measure
	 * what they cost on their own.
	 */
	int startHttpWithTimeouts() {
		Duration timeout = Duration.ofSeconds(60);
		this.httpWithTimeouts = hello(HttpServer.create().idleTimeout(timeout).readTimeout(timeout)).bindNow();
		return this.httpWithTimeouts.port();
	}

	private static HttpServer hello(HttpServer server) {
		String length = Integer.toString(Payloads.HELLO_BYTES.length);
		return server.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
				.header(HttpHeaderNames.CONTENT_LENGTH, length)
				.sendByteArray(Mono.just(Payloads.HELLO_BYTES)));
	}

	int startWebSocketEcho() {
		WebsocketServerSpec spec = WebsocketServerSpec.builder().maxFramePayloadLength(Payloads.MAX_WS_MESSAGE).build();
		this.webSocket = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response.sendWebsocket((inbound, outbound) -> Mono.defer(() -> {
				rawWebSocketSessions.incrementAndGet();
				return outbound
					.sendObject(inbound.aggregateFrames(Payloads.MAX_WS_MESSAGE)
						.receiveFrames()
						.filter((frame) -> frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame)
						.map(WebSocketFrame::retain))
					.then();
			}).doFinally((signal) -> rawWebSocketSessions.decrementAndGet()), spec))
			.bindNow();
		return this.webSocket.port();
	}

	@Override
	public void close() {
		if (this.tcp != null) {
			this.tcp.close().syncUninterruptibly();
		}
		if (this.http != null) {
			this.http.disposeNow();
		}
		if (this.reactorTcp != null) {
			this.reactorTcp.disposeNow();
		}
		if (this.httpWithTimeouts != null) {
			this.httpWithTimeouts.disposeNow();
		}
		if (this.webSocket != null) {
			this.webSocket.disposeNow();
		}
		this.nettyGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
	}

	/** The classic Netty echo: write what was read, flush once per read batch. */
	@ChannelHandler.Sharable
	static final class EchoHandler extends ChannelInboundHandlerAdapter {

		static final EchoHandler INSTANCE = new EchoHandler();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ctx.write(msg);
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}
