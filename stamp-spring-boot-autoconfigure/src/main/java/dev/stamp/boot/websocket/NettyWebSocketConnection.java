package dev.stamp.boot.websocket;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.websocket.WebsocketOutbound;

import dev.stamp.boot.topic.TopicCatchUp;
import dev.stamp.boot.topic.TopicMember;
import dev.stamp.boot.topic.TopicMessage;
import dev.stamp.core.ConnectionRegistry;
import dev.stamp.core.PeerErrors;

/**
 * A {@link WebSocketConnection} on a Reactor Netty WebSocket: frames are written straight
 * to the channel, from any thread, and the bytes not yet on the wire are counted so that
 * a slow reader is disconnected before it costs more than {@code maxPendingOutbound}. As
 * a {@link TopicMember} it receives its topics' messages the same way, in frames that
 * wrap the shared payload without copying it.
 */
final class NettyWebSocketConnection implements WebSocketConnection, TopicMember {

	static final int STATUS_TRY_AGAIN_LATER = 1013;

	private final String id;

	private final Channel channel;

	private final WebsocketOutbound outbound;

	private final WebSocketRoute route;

	private final String path;

	private final Map<String, String> pathVariables;

	private final long maxPendingOutbound;

	private final Duration slowReaderCloseTimeout;

	private final PeerErrors peerErrors;

	private final AtomicLong pendingOutbound = new AtomicLong();

	private final AtomicBoolean overflowed = new AtomicBoolean();

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final boolean enveloped;

	/**
	 * Set while the client resumes its room after an offset: the room's messages go
	 * through it.
	 */
	private volatile @Nullable TopicCatchUp roomCatchUp;

	NettyWebSocketConnection(Channel channel, WebsocketOutbound outbound, WebSocketRoute route, String path,
			Map<String, String> pathVariables, long maxPendingOutbound, Duration slowReaderCloseTimeout,
			PeerErrors peerErrors, boolean enveloped) {
		this.enveloped = enveloped;
		this.id = Long.toString(ConnectionRegistry.idOf(channel));
		this.channel = channel;
		this.outbound = outbound;
		this.route = route;
		this.path = path;
		this.pathVariables = pathVariables;
		this.maxPendingOutbound = maxPendingOutbound;
		this.slowReaderCloseTimeout = slowReaderCloseTimeout;
		this.peerErrors = peerErrors;
	}

	@Override
	public String id() {
		return this.id;
	}

	/**
	 * The event loop of this connection, where blocking handlers' replies are written.
	 * @return the connection's event loop
	 */
	EventLoop eventLoop() {
		return this.channel.eventLoop();
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return (InetSocketAddress) this.channel.remoteAddress();
	}

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public String route() {
		return this.route.method().path();
	}

	@Override
	public Map<String, String> pathVariables() {
		return this.pathVariables;
	}

	@Override
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	@Override
	public void send(String text) {
		sendText(ByteBufUtil.writeUtf8(this.channel.alloc(), text));
	}

	@Override
	public void send(byte[] data) {
		write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
	}

	/**
	 * Sends a text frame; takes ownership of {@code payload}.
	 * @param payload the frame's payload
	 */
	void sendText(ByteBuf payload) {
		write(new TextWebSocketFrame(payload));
	}

	/**
	 * Sends a binary frame; takes ownership of {@code payload}.
	 * @param payload the frame's payload
	 */
	void sendBinary(ByteBuf payload) {
		write(new BinaryWebSocketFrame(payload));
	}

	private void write(WebSocketFrame frame) {
		if (!isOpen()) {
			frame.release();
			return;
		}
		int size = frame.content().readableBytes();
		long pending = this.pendingOutbound.addAndGet(size);
		if (pending > this.maxPendingOutbound) {
			this.pendingOutbound.addAndGet(-size);
			frame.release();
			disconnectSlowReader();
			return;
		}
		this.channel.writeAndFlush(frame).addListener((future) -> this.pendingOutbound.addAndGet(-size));
	}

	/**
	 * The 1013 close frame waits behind everything already queued, so the connection may
	 * only end once the frame is written, which Reactor Netty's {@code sendClose} does; a
	 * client that does not read at all is dropped when the slow-reader close timeout
	 * ends.
	 */
	private void disconnectSlowReader() {
		if (!this.overflowed.compareAndSet(false, true)) {
			return;
		}
		this.peerErrors.record("slow-reader", this.channel.remoteAddress(),
				"more than max-pending-outbound queued for it; closing with 1013");
		ScheduledFuture<?> deadline = this.channel.eventLoop()
			.schedule(() -> this.channel.close(), this.slowReaderCloseTimeout.toMillis(), TimeUnit.MILLISECONDS);
		this.channel.closeFuture().addListener((closed) -> deadline.cancel(false));
		this.outbound.sendClose(STATUS_TRY_AGAIN_LATER, "Reading too slowly")
			.subscribe(null, (error) -> this.channel.close());
	}

	/**
	 * Whether the client chose {@link WebSocketConnection#TOPICS_SUBPROTOCOL}: topic
	 * messages reach it in JSON envelopes.
	 * @return {@code true} for an enveloped client
	 */
	boolean isEnveloped() {
		return this.enveloped;
	}

	/**
	 * Resumes the client's room after an offset: the room's messages wait for the
	 * history, which is written first after a recovery envelope.
	 * @param afterOffset the offset of the last message the client got
	 * @param maxHeld live messages that may wait for the history
	 * @return the catch-up to join the room with
	 */
	TopicCatchUp resumeRoom(String afterOffset, int maxHeld) {
		String room = WebSocketConnection.roomTopic(this.path);
		TopicCatchUp catchUp = new TopicCatchUp(afterOffset, maxHeld, this::write,
				(outcome) -> send(TopicEnvelope.recovery(room, outcome)));
		this.roomCatchUp = catchUp;
		return catchUp;
	}

	@Override
	public boolean deliver(TopicMessage message) {
		TopicCatchUp catchUp = this.roomCatchUp;
		if (catchUp != null && message.topic().equals(WebSocketConnection.roomTopic(this.path))) {
			if (!catchUp.offer(message)) {
				disconnectSlowReader();
				return false;
			}
		}
		else {
			write(message);
		}
		return isOpen();
	}

	private void write(TopicMessage message) {
		if (this.enveloped) {
			send(TopicEnvelope.message(message));
		}
		else if (message.binary()) {
			sendBinary(Unpooled.wrappedBuffer(message.payload()));
		}
		else {
			sendText(Unpooled.wrappedBuffer(message.payload()));
		}
	}

	@Override
	public void whenClosed(Runnable action) {
		this.channel.closeFuture().addListener((future) -> action.run());
	}

	@Override
	public Collection<WebSocketConnection> peers() {
		return this.route.peers(this.path);
	}

	@Override
	public void broadcast(String text) {
		this.route.broadcast(this.path, text);
	}

	@Override
	public void broadcast(byte[] data) {
		this.route.broadcast(this.path, data);
	}

	@Override
	public void close(int status, String reason) {
		// Decided on the connection's own event loop: a guard that is closing the
		// connection at the same moment runs there too, so the close frame is either
		// written while the channel is open or not created at all.
		if (!this.channel.eventLoop().inEventLoop()) {
			this.channel.eventLoop().execute(() -> close(status, reason));
			return;
		}
		if (this.channel.isActive()) {
			this.outbound.sendClose(status, reason).subscribe(null, (error) -> this.channel.close());
		}
	}

	@Override
	public boolean isOpen() {
		return this.channel.isActive() && !this.overflowed.get();
	}

	@Override
	public String toString() {
		return "WebSocketConnection[" + this.id + " " + this.channel.remoteAddress() + " " + this.path + "]";
	}

}
