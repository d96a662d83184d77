package dev.stamp.webtransport.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QLogConfiguration;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The UDP transport under QUIC: Linux's native epoll where it loads, else NIO.
 * <p>
 * Epoll brings what QUIC needs to use more than one core and fewer system calls: several
 * sockets on one port ({@code SO_REUSEPORT}), many datagrams per receive call
 * ({@code recvmmsg}) and many packets per send call (GSO).
 */
public final class QuicTransport {

	/**
	 * The largest UDP payload we accept, announced to peers as
	 * {@code max_udp_payload_size}: an Ethernet MTU, so that receive buffers can be sized
	 * for it and nothing is truncated.
	 */
	public static final int MAX_UDP_PAYLOAD_SIZE = 1500;

	/** Datagrams one receive call may return. */
	private static final int DATAGRAMS_PER_READ = 16;

	/** Packets one send call may carry with GSO. */
	private static final int SEGMENTS_PER_WRITE = 10;

	private static final boolean EPOLL = epollAvailable();

	private QuicTransport() {
	}

	private static boolean epollAvailable() {
		try {
			return Epoll.isAvailable() && !Boolean.getBoolean("stamp.webtransport.disableEpoll");
		}
		catch (LinkageError ex) {
			return false;
		}
	}

	/**
	 * Whether the native transport is in use (and several sockets may share a port).
	 * @return {@code true} with the native transport
	 */
	public static boolean isNative() {
		return EPOLL;
	}

	/**
	 * The transport's name, for logs and debug state.
	 * @return the transport's name
	 */
	public static String name() {
		return EPOLL ? "epoll" : "nio";
	}

	/**
	 * Event loops for the transport; {@code threadPrefix} names their threads.
	 * @param threads the number of event loops
	 * @param threadPrefix the prefix of the thread names
	 * @return a new event loop group
	 */
	public static EventLoopGroup newGroup(int threads, String threadPrefix) {
		IoHandlerFactory handlers = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		ThreadFactory threadFactory = new DefaultThreadFactory(threadPrefix, true);
		return new MultiThreadIoEventLoopGroup(threads, threadFactory, handlers);
	}

	/**
	 * A bootstrap for UDP sockets on the transport. {@code sharedPort} lets several
	 * sockets bind the same port so the kernel spreads peers over them.
	 * @param group the event loops of the sockets
	 * @param sharedPort whether several sockets bind the same port
	 * @return a new bootstrap
	 */
	public static Bootstrap newBootstrap(EventLoopGroup group, boolean sharedPort) {
		Bootstrap bootstrap = new Bootstrap().group(group);
		if (EPOLL) {
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

	/**
	 * Sends several QUIC packets per system call where the kernel supports it;
	 * {@code NONE} elsewhere.
	 * @return the packet allocator
	 */
	public static SegmentedDatagramPacketAllocator segmentedAllocator() {
		return EPOLL ? EpollQuicUtils.newSegmentedAllocator(SEGMENTS_PER_WRITE) : SegmentedDatagramPacketAllocator.NONE;
	}

	/**
	 * A qlog trace per connection in {@code directory} (created if missing), or
	 * {@code null} for none. Each file is named after the connection id.
	 * @param directory where to write the traces, or {@code null}
	 * @param title the title written in each trace
	 * @return the qlog configuration, or {@code null}
	 */
	public static @Nullable QLogConfiguration qlog(@Nullable Path directory, String title) {
		if (directory == null) {
			return null;
		}
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the qlog directory " + directory, ex);
		}
		return new QLogConfiguration(directory.toString(), title, title + " (Stamp WebTransport)");
	}

	/**
	 * Event loops a server uses when configured with 0: one per core where sockets can
	 * share a port.
	 * @return the default number of event loops
	 */
	public static int defaultServerThreads() {
		return EPOLL ? Runtime.getRuntime().availableProcessors() : 1;
	}

}
