package dev.stamp.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport the raw peers and the load generator use: epoll when available, as Reactor Netty (and so
 * Stamp and WebFlux) does by default, else NIO.
 * <p>
 * For QUIC, the raw peer and its client set up UDP the way Stamp's WebTransport engine does (its
 * {@code QuicTransport}), with their own copy of the settings so that the limit does not depend on the engine:
 * on epoll, many datagrams per receive call ({@code recvmmsg}), many packets per send call (GSO) and
 * {@code SO_REUSEPORT} for several sockets on one port.
 */
final class Transports {

	/** The largest UDP payload received (and announced as {@code max_udp_payload_size}): an Ethernet MTU. */
	static final int MAX_UDP_PAYLOAD_SIZE = 1500;

	/** Datagrams one receive call may return. */
	private static final int DATAGRAMS_PER_READ = 16;

	/** Packets one send call may carry with GSO. */
	private static final int SEGMENTS_PER_WRITE = 10;

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

	/**
	 * A bootstrap for a UDP socket carrying QUIC.
	 * @param sharedPort whether several sockets will bind the same port (epoll only)
	 */
	static Bootstrap datagramBootstrap(MultiThreadIoEventLoopGroup group, boolean sharedPort) {
		Bootstrap bootstrap = new Bootstrap().group(group);
		if (epoll()) {
			bootstrap.channel(EpollDatagramChannel.class)
				.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_PAYLOAD_SIZE)
				.option(ChannelOption.RCVBUF_ALLOCATOR,
						new FixedRecvByteBufAllocator(MAX_UDP_PAYLOAD_SIZE * DATAGRAMS_PER_READ));
			if (sharedPort) {
				bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
			}
		}
		else {
			bootstrap.channel(NioDatagramChannel.class)
				.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_UDP_PAYLOAD_SIZE));
		}
		return bootstrap;
	}

	/** GSO on epoll: several QUIC packets per send call; none elsewhere. */
	static SegmentedDatagramPacketAllocator quicSegmentedAllocator() {
		return epoll() ? EpollQuicUtils.newSegmentedAllocator(SEGMENTS_PER_WRITE)
				: SegmentedDatagramPacketAllocator.NONE;
	}

}
