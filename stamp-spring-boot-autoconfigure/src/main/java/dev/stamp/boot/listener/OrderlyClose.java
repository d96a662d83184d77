package dev.stamp.boot.listener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import reactor.core.publisher.Mono;

/**
 * Closes a connection without losing what was sent on it: a TCP connection whose handler
 * is done, an HTTP/1.1 connection after a refusal, so the client reads the answer instead
 * of a reset.
 * <p>
 * Netty's {@code close()} fails the writes still queued in the channel's outbound buffer,
 * and closing a socket that has unread input makes the kernel reset the connection, which
 * throws away what it has not transmitted yet. So the close waits until the last queued
 * write has reached the socket, then sends FIN after it, then reads and discards until
 * the peer closes its side (at most the linger timeout), and only then closes. Over TLS
 * the FIN step is left out: the TLS close (close_notify) follows the last write instead.
 * <p>
 * A peer that never reads keeps the last write from completing; the idle timeout, or the
 * shutdown grace period, closes such a connection.
 */
public final class OrderlyClose {

	private static final AttributeKey<Boolean> STARTED = AttributeKey.valueOf("stamp.orderlyClose");

	private OrderlyClose() {
	}

	/**
	 * Starts the orderly close of a connection, once: later calls do nothing.
	 * @param channel the connection's channel; any thread
	 * @param lingerTimeout the longest wait for the peer's FIN once ours is sent
	 */
	public static void start(Channel channel, Duration lingerTimeout) {
		if (channel.attr(STARTED).setIfAbsent(Boolean.TRUE) != null) {
			return;
		}
		// Writes reach the socket in order: once this empty one has, so has every write
		// queued before it.
		channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((written) -> {
			if (!written.isSuccess() || !(channel instanceof SocketChannel socket) || socket.isInputShutdown()
					|| channel.pipeline().get(SslHandler.class) != null) {
				channel.close();
				return;
			}
			channel.pipeline().addFirst(InputDiscarder.NAME, new InputDiscarder());
			socket.shutdownOutput().addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
			ScheduledFuture<?> lingerOver = channel.eventLoop()
				.schedule(() -> channel.close(), lingerTimeout.toNanos(), TimeUnit.NANOSECONDS);
			channel.closeFuture().addListener((closed) -> lingerOver.cancel(false));
		});
	}

	/**
	 * Starts the orderly close of a connection and completes once the connection is
	 * closed, however that happens.
	 * @param channel the connection's channel
	 * @param lingerTimeout the longest wait for the peer's FIN once ours is sent
	 * @return a {@link Mono} that completes when the channel is closed
	 */
	public static Mono<Void> close(Channel channel, Duration lingerTimeout) {
		return Mono.create((sink) -> {
			start(channel, lingerTimeout);
			channel.closeFuture().addListener((closed) -> sink.success());
		});
	}

}
