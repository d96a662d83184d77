package dev.stamp.benchmarks;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;

/**
 * A closed-loop load generator on Netty: a fixed number of keep-alive connections, each
 * sending one request, waiting for the complete response, checking it byte for byte,
 * recording the latency in an HdrHistogram and sending the next. A warm-up phase is
 * discarded; the measured phase is bounded in time and in requests per connection. Only
 * 127.0.0.1.
 */
final class LoadGenerator implements AutoCloseable {

	static final String HOST = "127.0.0.1";

	/**
	 * Connections being set up at once: keeps the servers' accept backlog from
	 * overflowing.
	 */
	private static final int CONNECT_CONCURRENCY = 200;

	enum Kind {

		HTTP, TCP, WEBSOCKET

	}

	private final EventLoopGroup group;

	LoadGenerator(int threads) {
		this.group = Transports.group("loadgen", threads);
	}

	/**
	 * Runs one closed-loop measurement.
	 * @param kind the protocol
	 * @param port the server's port on 127.0.0.1
	 * @param connections concurrent connections
	 * @param payload size in bytes of a TCP or WebSocket message
	 * @param warmup discarded phase
	 * @param measure measured phase
	 * @param maxRequestsPerConnection bound on each connection's requests over both
	 * phases
	 * @return what was measured
	 */
	Measurement run(Kind kind, int port, int connections, int payload, Duration warmup, Duration measure,
			long maxRequestsPerConnection, CpuMeter cpu) throws InterruptedException {
		return run(kind, port, connections, payload, warmup, measure, maxRequestsPerConnection, Duration.ZERO, cpu);
	}

	/**
	 * Runs one measurement in which each connection waits {@code pause} between a
	 * response and its next request: a steady load rather than as much as the server
	 * takes (the soak).
	 */
	Measurement run(Kind kind, int port, int connections, int payload, Duration warmup, Duration measure,
			long maxRequestsPerConnection, Duration pause, CpuMeter cpu) throws InterruptedException {
		Run run = new Run(connections, maxRequestsPerConnection);
		run.pauseNanos = pause.toNanos();
		Connections open = connect(run, port, connections, null, (index) -> handler(kind, run, port, index, payload));
		try {
			if (!open.awaitReady(Duration.ofSeconds(60))) {
				run.error("only " + open.readyCount() + " of " + connections + " connections became ready");
			}
			open.start();
			Thread.sleep(warmup.toMillis());
			// A cold server (the smoke run's C1-only JVM on a busy machine) can take
			// longer than the warm-up to answer its first request; measuring then would
			// count the server's class loading, not its traffic.
			if (!open.awaitEveryConnectionAnswered(Duration.ofSeconds(30)) && run.errors.get() == 0) {
				run.error("warm-up: some connections got no response in 30 s");
			}
			Tally.Phase phase = run.startPhase(cpu);
			Thread.sleep(measure.toMillis());
			Tally.Measured measured = run.endPhase(phase, cpu);
			run.stopping = true;
			if (!run.finished.await(10, TimeUnit.SECONDS)) {
				run.error("connections still busy 10 s after the end of the run");
			}
			long starved = open.handlers.stream().filter((handler) -> handler.answered == 0).count();
			if (starved > 0) {
				run.error(starved + " of " + connections + " connections never got a response");
			}
			return run.measurement(measured);
		}
		finally {
			run.stopping = true;
			open.close();
		}
	}

	/**
	 * Opens WebSocket connections that exchange one echo each (checked) and then stay
	 * open and idle.
	 */
	IdleWebSockets openIdleWebSockets(int port, int count, int payload) throws InterruptedException {
		return openIdleWebSockets(port, count, payload, null);
	}

	/**
	 * Like {@link #openIdleWebSockets(int, int, int)}, each connection bound to the next
	 * of these local addresses ({@code null}: any).
	 */
	IdleWebSockets openIdleWebSockets(int port, int count, int payload, @Nullable SourceAddresses sources)
			throws InterruptedException {
		Run run = new Run(count, 1);
		Connections open = connect(run, port, count, sources,
				(index) -> handler(Kind.WEBSOCKET, run, port, index, payload));
		if (!open.awaitReady(Duration.ofSeconds(120))) {
			run.error("only " + open.readyCount() + " of " + count + " WebSocket connections became ready");
		}
		open.start();
		if (!run.finished.await(60, TimeUnit.SECONDS)) {
			run.error("echo on idle connections did not complete in 60 s");
		}
		return new IdleWebSockets(open, run, count);
	}

	private ClosedLoopHandler handler(Kind kind, Run run, int port, int index, int payload) {
		return switch (kind) {
			case HTTP -> new HttpHandler(run, port);
			case TCP -> new TcpHandler(run, Payloads.message(index, payload));
			case WEBSOCKET -> new WebSocketHandler(run, port, Payloads.message(index, payload));
		};
	}

	private Connections connect(Run run, int port, int count, @Nullable SourceAddresses sources,
			IntFunction<ClosedLoopHandler> handlers) throws InterruptedException {
		InetSocketAddress remote = new InetSocketAddress(HOST, port);
		Connections open = new Connections(run);
		Semaphore settingUp = new Semaphore(CONNECT_CONCURRENCY);
		Bootstrap bootstrap = new Bootstrap().group(this.group)
			.channel(Transports.socketChannel())
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
		for (int i = 0; i < count; i++) {
			if (!settingUp.tryAcquire(30, TimeUnit.SECONDS)) {
				run.error("connection set-up stalled at " + i + " of " + count);
				break;
			}
			ClosedLoopHandler handler = handlers.apply(i);
			handler.onReady = settingUp::release;
			open.handlers.add(handler);
			bootstrap.clone().handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					handler.initPipeline(channel.pipeline());
					channel.pipeline().addLast(handler);
				}
			}).connect(remote, (sources != null) ? sources.next() : null).addListener((future) -> {
				if (future.isSuccess()) {
					open.channels.add(((io.netty.channel.ChannelFuture) future).channel());
				}
				else {
					handler.failed("connect: " + future.cause());
				}
			});
		}
		return open;
	}

	@Override
	public void close() {
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/** Open, idle WebSocket connections; close them when done. */
	static final class IdleWebSockets implements IdleConnections {

		private final Connections connections;

		private final Run run;

		private final int requested;

		IdleWebSockets(Connections connections, Run run, int requested) {
			this.connections = connections;
			this.run = run;
			this.requested = requested;
		}

		/** Connections whose echo came back correct and that are still open. */
		@Override
		public int verified() {
			return (int) Math.min(this.run.completed(), this.connections.channels.size());
		}

		@Override
		public int requested() {
			return this.requested;
		}

		@Override
		public long mismatches() {
			return this.run.mismatches.get();
		}

		@Override
		public long errors() {
			return this.run.errors.get();
		}

		@Override
		public List<String> errorSamples() {
			return List.copyOf(this.run.errorSamples);
		}

		@Override
		public void close() {
			this.run.stopping = true;
			this.connections.close();
		}

	}

	/**
	 * State shared by the connections of one run: the counters, and when they are ready
	 * and done.
	 */
	static final class Run extends Tally {

		final CountDownLatch ready;

		final CountDownLatch finished;

		final long maxRequestsPerConnection;

		/** Wait between a response and the next request; zero for none. */
		long pauseNanos;

		Run(int connections, long maxRequestsPerConnection) {
			this.ready = new CountDownLatch(connections);
			this.finished = new CountDownLatch(connections);
			this.maxRequestsPerConnection = maxRequestsPerConnection;
		}

	}

	static final class Connections implements AutoCloseable {

		final Run run;

		final List<ClosedLoopHandler> handlers = new ArrayList<>();

		final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

		Connections(Run run) {
			this.run = run;
		}

		boolean awaitReady(Duration timeout) throws InterruptedException {
			return this.run.ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		int readyCount() {
			return (int) this.handlers.stream().filter((handler) -> handler.isReady).count();
		}

		boolean awaitEveryConnectionAnswered(Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (this.handlers.stream().anyMatch((handler) -> handler.answered == 0)) {
				// A connection that failed has said so already and will never answer.
				if (System.nanoTime() - deadline > 0 || this.run.errors.get() > 0) {
					return false;
				}
				Thread.sleep(10);
			}
			return true;
		}

		void start() {
			for (ClosedLoopHandler handler : this.handlers) {
				handler.start();
			}
		}

		@Override
		public void close() {
			this.channels.close().awaitUninterruptibly(30, TimeUnit.SECONDS);
		}

	}

	/**
	 * One connection's request loop. Everything runs on the connection's event loop.
	 */
	abstract static class ClosedLoopHandler extends ChannelInboundHandlerAdapter {

		final Run run;

		Runnable onReady = () -> {
		};

		volatile boolean isReady;

		private ChannelHandlerContext ctx;

		private boolean readySignalled;

		private boolean finishedSignalled;

		private long sentAt;

		private long sent;

		/** Correct responses; read by the driver once the run is over. */
		volatile long answered;

		ClosedLoopHandler(Run run) {
			this.run = run;
		}

		/** Adds the codecs this protocol needs in front of the handler. */
		void initPipeline(ChannelPipeline pipeline) {
		}

		/**
		 * The buffer this connection sends (retained duplicates of it); released when the
		 * connection is gone.
		 */
		abstract ByteBuf outgoing();

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			outgoing().release();
		}

		/** Writes one request. */
		abstract void send(ChannelHandlerContext ctx);

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			this.ctx = ctx;
		}

		/** The connection can take requests. */
		final void ready() {
			if (!this.readySignalled) {
				this.readySignalled = true;
				this.isReady = true;
				this.run.ready.countDown();
				this.onReady.run();
			}
		}

		final void start() {
			if (this.isReady && this.ctx != null) {
				this.ctx.executor().execute(this::sendNext);
			}
		}

		private void sendNext() {
			if (this.finishedSignalled) {
				return;
			}
			if (this.run.stopping || this.sent >= this.run.maxRequestsPerConnection) {
				finish();
				return;
			}
			this.sent++;
			this.sentAt = System.nanoTime();
			send(this.ctx);
		}

		/** A complete response arrived. */
		final void completed(boolean correct) {
			long latency = System.nanoTime() - this.sentAt;
			if (correct) {
				this.run.completedWithLatency(latency);
				this.answered++;
			}
			else {
				this.run.mismatch("response not byte-identical to the expected one");
			}
			if (this.run.pauseNanos > 0) {
				this.ctx.executor().schedule(this::sendNext, this.run.pauseNanos, TimeUnit.NANOSECONDS);
			}
			else {
				sendNext();
			}
		}

		private void finish() {
			if (!this.finishedSignalled) {
				this.finishedSignalled = true;
				this.run.finished.countDown();
			}
		}

		final void failed(String why) {
			if (this.finishedSignalled && this.run.stopping) {
				return;
			}
			this.run.error(why);
			if (!this.readySignalled) {
				this.readySignalled = true;
				this.run.ready.countDown();
				this.onReady.run();
			}
			finish();
			if (this.ctx != null) {
				this.ctx.close();
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (!this.finishedSignalled) {
				failed("connection closed by the server");
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			failed(cause.toString());
		}

	}

	/**
	 * {@code GET /hello} over HTTP/1.1 keep-alive; expects 200 and exactly the hello
	 * bytes.
	 */
	static final class HttpHandler extends ClosedLoopHandler {

		private static final ByteBuf EXPECTED = Unpooled
			.unreleasableBuffer(Unpooled.wrappedBuffer(Payloads.HELLO_BYTES));

		private final ByteBuf request;

		private boolean ok;

		private int offset;

		HttpHandler(Run run, int port) {
			super(run);
			byte[] bytes = ("GET " + Payloads.HELLO_PATH + " HTTP/1.1\r\nHost: " + HOST + ":" + port + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII);
			this.request = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
		}

		@Override
		void initPipeline(ChannelPipeline pipeline) {
			pipeline.addLast(new HttpResponseDecoder());
		}

		@Override
		ByteBuf outgoing() {
			return this.request;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			ready();
		}

		@Override
		void send(ChannelHandlerContext ctx) {
			ctx.writeAndFlush(this.request.retainedDuplicate(), ctx.voidPromise());
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (msg instanceof HttpResponse response) {
					this.ok = response.status().code() == 200 && response.decoderResult().isSuccess();
					this.offset = 0;
				}
				if (msg instanceof HttpContent content) {
					ByteBuf body = content.content();
					int length = body.readableBytes();
					if (this.offset + length > EXPECTED.capacity()
							|| !ByteBufUtil.equals(body, body.readerIndex(), EXPECTED, this.offset, length)) {
						this.ok = false;
					}
					this.offset += length;
					if (msg instanceof LastHttpContent) {
						completed(this.ok && this.offset == EXPECTED.capacity());
					}
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

	}

	/** Sends a message and waits until the same bytes came back. */
	static final class TcpHandler extends ClosedLoopHandler {

		private final ByteBuf message;

		private boolean awaiting;

		private boolean ok = true;

		private int offset;

		TcpHandler(Run run, byte[] message) {
			super(run);
			this.message = Unpooled.directBuffer(message.length).writeBytes(message);
		}

		@Override
		ByteBuf outgoing() {
			return this.message;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			ready();
		}

		@Override
		void send(ChannelHandlerContext ctx) {
			this.awaiting = true;
			this.offset = 0;
			this.ok = true;
			ctx.writeAndFlush(this.message.retainedDuplicate(), ctx.voidPromise());
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf buffer = (ByteBuf) msg;
			try {
				int length = this.message.capacity();
				while (buffer.isReadable()) {
					if (!this.awaiting) {
						this.run.mismatch("unexpected bytes from the server");
						buffer.skipBytes(buffer.readableBytes());
						return;
					}
					int take = Math.min(length - this.offset, buffer.readableBytes());
					if (!ByteBufUtil.equals(buffer, buffer.readerIndex(), this.message, this.offset, take)) {
						this.ok = false;
					}
					buffer.skipBytes(take);
					this.offset += take;
					if (this.offset == length) {
						this.awaiting = false;
						completed(this.ok);
					}
				}
			}
			finally {
				buffer.release();
			}
		}

	}

	/** Sends a masked text frame and waits for a text frame with the same bytes. */
	static final class WebSocketHandler extends ClosedLoopHandler {

		private final WebSocketClientHandshaker handshaker;

		private final ByteBuf message;

		WebSocketHandler(Run run, int port, byte[] message) {
			super(run);
			this.handshaker = WebSocketClientHandshakerFactory.newHandshaker(
					URI.create("ws://" + HOST + ":" + port + Payloads.ECHO_PATH), WebSocketVersion.V13, null, false,
					EmptyHttpHeaders.INSTANCE, Payloads.MAX_WS_MESSAGE);
			this.message = Unpooled.directBuffer(message.length).writeBytes(message);
		}

		@Override
		void initPipeline(ChannelPipeline pipeline) {
			pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192));
		}

		@Override
		ByteBuf outgoing() {
			return this.message;
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.handshaker.handshake(ctx.channel());
		}

		@Override
		void send(ChannelHandlerContext ctx) {
			ctx.writeAndFlush(new TextWebSocketFrame(this.message.retainedDuplicate()), ctx.voidPromise());
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (!this.handshaker.isHandshakeComplete()) {
					if (msg instanceof FullHttpResponse response) {
						try {
							this.handshaker.finishHandshake(ctx.channel(), response);
							ready();
						}
						catch (RuntimeException ex) {
							failed("handshake: " + response.status() + " " + ex.getMessage());
						}
					}
					return;
				}
				if (msg instanceof TextWebSocketFrame frame) {
					ByteBuf content = frame.content();
					completed(frame.isFinalFragment() && ByteBufUtil.equals(content, this.message));
				}
				else if (msg instanceof CloseWebSocketFrame close) {
					failed("closed by the server: " + close.statusCode() + " " + close.reasonText());
				}
				else if (msg instanceof WebSocketFrame) {
					this.run.error("unexpected frame " + msg.getClass().getSimpleName());
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

	}

}
