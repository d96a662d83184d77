package dev.stamp.core;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The live connections of one listener, with its connection limit.
 * <p>
 * A listener calls {@link #tryRegister(Channel)} as soon as a connection is accepted.
 * Within the limit the channel is tracked until it closes; over the limit the call is
 * counted as a refusal, logged once per burst, and the caller refuses the connection in
 * whatever way its protocol calls clean (close, 503, ...). Thread-safe and lock-free on
 * the accept path.
 * <p>
 * Every admitted connection gets an id, increasing in order of admission, so that
 * connections can be listed page by page with the last id seen as a stable cursor
 * ({@link #channelsAfter(long, int)}). Ids come from one sequence shared by every
 * registry in the JVM, so that an id names one connection however many listeners a
 * protocol has.
 */
public final class ConnectionRegistry {

	private static final AttributeKey<Long> CONNECTION_ID = AttributeKey.valueOf("stamp.connectionId");

	private static final AtomicLong lastId = new AtomicLong();

	private final String name;

	private final int maxConnections;

	private final AtomicInteger active = new AtomicInteger();

	private final LongAdder accepted = new LongAdder();

	private final LongAdder refused = new LongAdder();

	private final ChannelGroup channels;

	private final ConcurrentSkipListMap<Long, Channel> channelsById = new ConcurrentSkipListMap<>();

	private final RefusalLog refusalLog;

	/**
	 * Creates the registry of one listener's connections.
	 * @param name the listener's name, used in logs and stats (for example {@code "tcp"})
	 * @param maxConnections how many connections may be open at once; must be positive
	 */
	public ConnectionRegistry(String name, int maxConnections) {
		if (maxConnections < 1) {
			throw new IllegalArgumentException(
					"max-connections of '" + name + "' must be at least 1, was " + maxConnections);
		}
		this.name = name;
		this.maxConnections = maxConnections;
		this.channels = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
		this.refusalLog = new RefusalLog(name + " listener", "connection", "max-connections", maxConnections);
	}

	/**
	 * Admit a newly accepted connection if the limit allows.
	 * @param channel the accepted channel
	 * @return {@code true} if the channel is now tracked; {@code false} if the listener
	 * is full and the caller must refuse it (the refusal is already counted and logged)
	 */
	public boolean tryRegister(Channel channel) {
		int current;
		do {
			current = this.active.get();
			if (current >= this.maxConnections) {
				this.refused.increment();
				this.refusalLog.refused(remote(channel));
				return false;
			}
		}
		while (!this.active.compareAndSet(current, current + 1));
		this.accepted.increment();
		// One box for the attribute and the map key: a connection holds both for as
		// long as it lives.
		Long id = lastId.incrementAndGet();
		channel.attr(CONNECTION_ID).set(id);
		this.channelsById.put(id, channel);
		this.channels.add(channel);
		channel.closeFuture().addListener((ChannelFuture future) -> {
			this.channelsById.remove(id);
			this.active.decrementAndGet();
		});
		return true;
	}

	/**
	 * The id a registry gave a connection when it admitted it.
	 * @param channel the channel
	 * @return its id, from 1 up, or {@code -1} if no registry admitted it
	 */
	public static long idOf(Channel channel) {
		Long id = channel.attr(CONNECTION_ID).get();
		return (id != null) ? id : -1;
	}

	/**
	 * Open connections in order of their ids, for listing them page by page: a connection
	 * open for the whole walk appears exactly once, however many connect or close
	 * meanwhile.
	 * @param after the id of the last connection already seen; {@code 0} for the first
	 * page
	 * @param limit how many to return at most
	 * @return the channels with an id greater than {@code after}, at most {@code limit}
	 */
	public List<Channel> channelsAfter(long after, int limit) {
		List<Channel> page = new ArrayList<>(Math.min(limit, 64));
		for (Channel channel : this.channelsById.tailMap(after, false).values()) {
			if (page.size() >= limit) {
				break;
			}
			page.add(channel);
		}
		return page;
	}

	private static SocketAddress remote(Channel channel) {
		return channel.remoteAddress();
	}

	/**
	 * The channels currently tracked, for graceful shutdown and broadcasts.
	 * @return the live group of open channels
	 */
	public ChannelGroup channels() {
		return this.channels;
	}

	/**
	 * Closes every tracked connection at once; used when the grace period of a shutdown
	 * has run out.
	 * @return a future that completes once every channel is closed
	 */
	public ChannelGroupFuture closeAll() {
		return this.channels.close();
	}

	/**
	 * The number of connections open right now.
	 * @return the count of open connections
	 */
	public int activeConnections() {
		return this.active.get();
	}

	/**
	 * A consistent-enough snapshot of the counters, for health, metrics and the actuator
	 * endpoint.
	 * @return the current counters
	 */
	public ConnectionStats stats() {
		return new ConnectionStats(this.name, this.maxConnections, this.active.get(), this.accepted.sum(),
				this.refused.sum());
	}

	public String name() {
		return this.name;
	}

	public int maxConnections() {
		return this.maxConnections;
	}

}
