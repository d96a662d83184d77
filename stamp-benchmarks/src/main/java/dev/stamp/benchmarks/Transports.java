package dev.stamp.benchmarks;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport the raw peers and the load generator use: epoll when available, as
 * Reactor Netty (and so Stamp and WebFlux) does by default, else NIO.
 * <p>
 * For QUIC, the raw peer and its client use the engine's own UDP set-up
 * ({@code QuicTransport}: plain Netty, with {@code recvmmsg}, GSO and
 * {@code SO_REUSEPORT} on epoll), so that the limit and Stamp differ by HTTP/3 and
 * WebTransport only, not by socket settings.
 */
final class Transports {

	private Transports() {
	}

	static boolean epoll() {
		return Epoll.isAvailable();
	}

	static String name() {
		return epoll() ? "epoll" : "nio";
	}

	static MultiThreadIoEventLoopGroup group(String name, int threads) {
		IoHandlerFactory factory = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
	}

	static Class<? extends SocketChannel> socketChannel() {
		return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
	}

	static Class<? extends ServerChannel> serverChannel() {
		return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
	}

}
