package dev.stamp.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

/**
 * Chat-room traffic for the soak: a few members join one room ({@code /room/<name>}), and
 * once every member is in (each has seen its own join message come back), each sends
 * numbered messages, the next once its previous one came back to it. Every member checks
 * every message it receives: whole, and from each sender in order without a gap; at the
 * end every member must have received every message of every member.
 */
final class RoomLoad implements AutoCloseable {

	/** Messages each member sends at most, so that one run stays bounded. */
	private static final int MAX_MESSAGES = 1_000_000;

	private final EventLoopGroup group;

	RoomLoad(int threads) {
		this.group = Transports.group("rooms", threads);
	}

	@Override
	public void close() {
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/**
	 * Runs one room for a while and then closes it.
	 * @param port the Stamp WebSocket port
	 * @param room the room's name, new for every run
	 * @param members members of the room
	 * @param duration how long members send
	 * @param pause wait between a member's message coming back and its next one
	 * @param tally where deliveries, mismatches and errors are counted
	 */
	void run(int port, String room, int members, Duration duration, Duration pause, Tally tally)
			throws InterruptedException {
		URI uri = URI.create("ws://" + LoadGenerator.HOST + ":" + port + Payloads.ROOM_PATH + "/" + room);
		CountDownLatch joined = new CountDownLatch(members);
		List<Member> all = new ArrayList<>();
		List<Channel> channels = new ArrayList<>();
		for (int i = 0; i < members; i++) {
			all.add(new Member(i, members, joined, pause, tally));
		}
		try {
			for (Member member : all) {
				Channel channel = new Bootstrap().group(this.group)
					.channel(Transports.socketChannel())
					.handler(new ChannelInitializer<Channel>() {
						@Override
						protected void initChannel(Channel channel) {
							channel.pipeline()
								.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
										new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory
											.newHandshaker(uri, WebSocketVersion.V13, null, false,
													EmptyHttpHeaders.INSTANCE, Payloads.MAX_WS_MESSAGE)),
										member);
						}
					})
					.connect(LoadGenerator.HOST, port)
					.sync()
					.channel();
				channels.add(channel);
			}
			if (!joined.await(WebTransportLoad.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				tally.error("room " + room + ": only " + (members - joined.getCount()) + " of " + members
						+ " members joined");
				return;
			}
			for (Member member : all) {
				member.start();
			}
			Thread.sleep(duration.toMillis());
			for (Member member : all) {
				member.stop();
			}
			long deadline = System.nanoTime() + WebTransportLoad.TIMEOUT.toNanos();
			while (!all.stream().allMatch((member) -> member.receivedEverything(all)) && System.nanoTime() < deadline
					&& all.stream().noneMatch(Member::failed)) {
				Thread.sleep(20);
			}
			for (Member member : all) {
				if (!member.receivedEverything(all) && !member.failed()) {
					tally.error(
							"room " + room + ": member " + member.index + " missed messages: " + member.progress(all));
				}
			}
		}
		catch (Exception ex) {
			tally.error("room " + room + ": " + ex);
		}
		finally {
			for (Member member : all) {
				member.stop();
			}
			for (Channel channel : channels) {
				channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
			}
		}
	}

	/** The text of message {@code seq} of member {@code sender}, checked whole. */
	static String message(int sender, int seq) {
		return "m" + sender + ":" + seq + ":" + Integer.toHexString((sender * 31 + seq) * 0x9E3779B1);
	}

	/** One member: its sequence of messages and what it received from each sender. */
	private static final class Member extends SimpleChannelInboundHandler<TextWebSocketFrame> {

		private final int index;

		private final String join;

		private final CountDownLatch joined;

		private final long pauseNanos;

		private final Tally tally;

		/** Per sender, the last message received in order; -1 for none. */
		private final int[] received;

		private volatile ChannelHandlerContext ctx;

		private volatile boolean in;

		private volatile boolean stopping;

		private volatile boolean failed;

		/** Messages sent; the last one is awaited before the next is sent. */
		private volatile int sent;

		private boolean awaitingOwn;

		Member(int index, int members, CountDownLatch joined, Duration pause, Tally tally) {
			super(true);
			this.index = index;
			this.join = "join " + index;
			this.joined = joined;
			this.pauseNanos = pause.toNanos();
			this.tally = tally;
			this.received = new int[members];
			Arrays.fill(this.received, -1);
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				this.ctx = ctx;
				sendJoin();
			}
			super.userEventTriggered(ctx, event);
		}

		/**
		 * Says "join" until it comes back: a member counts as in once a broadcast reached
		 * it.
		 */
		private void sendJoin() {
			if (this.in || this.failed) {
				return;
			}
			this.ctx.writeAndFlush(new TextWebSocketFrame(this.join));
			this.ctx.executor().schedule(this::sendJoin, 100, TimeUnit.MILLISECONDS);
		}

		void start() {
			this.ctx.executor().execute(this::sendNext);
		}

		void stop() {
			this.stopping = true;
		}

		boolean failed() {
			return this.failed;
		}

		private void sendNext() {
			if (this.stopping || this.failed || this.sent >= MAX_MESSAGES || this.awaitingOwn) {
				return;
			}
			this.awaitingOwn = true;
			this.ctx.writeAndFlush(new TextWebSocketFrame(message(this.index, this.sent)));
			this.sent++;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
			String text = frame.text();
			if (text.startsWith("join ")) {
				if (text.equals(this.join) && !this.in) {
					this.in = true;
					this.joined.countDown();
				}
				return;
			}
			int colon = text.indexOf(':');
			int second = text.indexOf(':', colon + 1);
			int sender;
			int seq;
			try {
				sender = Integer.parseInt(text.substring(1, colon));
				seq = Integer.parseInt(text.substring(colon + 1, second));
			}
			catch (RuntimeException ex) {
				this.tally.mismatch("room message not understood: " + text);
				return;
			}
			if (sender < 0 || sender >= this.received.length || !text.equals(message(sender, seq))
					|| seq != this.received[sender] + 1) {
				this.tally.mismatch("room: member " + this.index + " got " + text + " after message "
						+ ((sender >= 0 && sender < this.received.length) ? this.received[sender] : -2)
						+ " of that sender");
				return;
			}
			this.received[sender] = seq;
			this.tally.completed(1);
			if (sender == this.index) {
				this.awaitingOwn = false;
				if (this.pauseNanos > 0) {
					ctx.executor().schedule(this::sendNext, this.pauseNanos, TimeUnit.NANOSECONDS);
				}
				else {
					sendNext();
				}
			}
		}

		/** Whether every message every member sent reached this member. */
		boolean receivedEverything(List<Member> members) {
			return this.ctx.executor().submit(() -> {
				for (Member member : members) {
					if (this.received[member.index] != member.sent - 1) {
						return false;
					}
				}
				return true;
			}).syncUninterruptibly().getNow();
		}

		String progress(List<Member> members) {
			StringBuilder text = new StringBuilder();
			for (Member member : members) {
				text.append(' ')
					.append(member.index)
					.append(": ")
					.append(this.received[member.index] + 1)
					.append('/')
					.append(member.sent);
			}
			return text.toString().trim();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			if (!this.stopping) {
				this.failed = true;
				this.tally.error("room: member " + this.index + " disconnected by the server");
			}
			super.channelInactive(ctx);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.failed = true;
			this.tally.error("room: member " + this.index + ": " + cause);
			ctx.close();
		}

	}

}
