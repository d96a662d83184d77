package dev.stamp.webtransport.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on 127.0.0.1 that drops a share of the datagrams in each direction, for one
 * client: a lossy network between real endpoints. The drop decisions come from a seeded
 * random sequence. It can also hold the datagrams to the server and release them at once
 * in reverse order, to reproduce a reordering deterministically.
 */
public final class LossyUdpProxy implements AutoCloseable {

	private final DatagramChannel clientSide;

	private final DatagramChannel serverSide;

	private final InetSocketAddress server;

	private final double lossRate;

	private final Random random;

	private final AtomicLong forwarded = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private volatile SocketAddress client;

	/**
	 * Datagrams to the server held back, newest first; null while not holding. Guarded by
	 * {@link #holdLock}.
	 */
	private Deque<ByteBuffer> heldToServer;

	private final Object holdLock = new Object();

	/**
	 * Hold datagrams to the server once one to the client at least this large passed;
	 * guarded by {@link #holdLock}.
	 */
	private int holdAfterReplyOf = Integer.MAX_VALUE;

	public LossyUdpProxy(InetSocketAddress server, double lossRate, long seed) throws IOException {
		this.server = server;
		this.lossRate = lossRate;
		this.random = new Random(seed);
		this.clientSide = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
		this.serverSide = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
		start("lossy-proxy-to-server", this::relayToServer);
		start("lossy-proxy-to-client", this::relayToClient);
	}

	private static void start(String name, Runnable relay) {
		Thread thread = new Thread(relay, name);
		thread.setDaemon(true);
		thread.start();
	}

	/** The address clients connect to. */
	public InetSocketAddress address() throws IOException {
		return (InetSocketAddress) this.clientSide.getLocalAddress();
	}

	public long forwarded() {
		return this.forwarded.get();
	}

	public long dropped() {
		return this.dropped.get();
	}

	private void relayToServer() {
		ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
		try {
			while (true) {
				buffer.clear();
				this.client = this.clientSide.receive(buffer);
				buffer.flip();
				if (keep() && !holdToServer(buffer)) {
					this.serverSide.send(buffer, this.server);
				}
			}
		}
		catch (ClosedChannelException ex) {
			// closed
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void relayToClient() {
		ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
		try {
			while (true) {
				buffer.clear();
				this.serverSide.receive(buffer);
				buffer.flip();
				SocketAddress target = this.client;
				synchronized (this.holdLock) {
					if (buffer.remaining() >= this.holdAfterReplyOf) {
						this.holdAfterReplyOf = Integer.MAX_VALUE;
						this.heldToServer = new ArrayDeque<>();
					}
				}
				if (target != null && keep()) {
					this.clientSide.send(buffer, target);
				}
			}
		}
		catch (ClosedChannelException ex) {
			// closed
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Holds every datagram to the server, until {@link #releaseToServerReversed()}, once
	 * a datagram to the client of at least {@code size} bytes passed (a reply with data
	 * rather than a bare acknowledgement): what the client sends in answer to it is held.
	 */
	public void holdToServerAfterReplyOf(int size) {
		synchronized (this.holdLock) {
			this.holdAfterReplyOf = size;
		}
	}

	/** How many datagrams to the server are held. */
	public int heldToServer() {
		synchronized (this.holdLock) {
			return (this.heldToServer != null) ? this.heldToServer.size() : 0;
		}
	}

	/**
	 * Sends the held datagrams to the server newest first, back to back (so that it
	 * likely reads them in one batch), and forwards again as they come.
	 */
	public void releaseToServerReversed() throws IOException {
		synchronized (this.holdLock) {
			for (ByteBuffer datagram : this.heldToServer) {
				this.serverSide.send(datagram, this.server);
			}
			this.heldToServer = null;
		}
	}

	private boolean holdToServer(ByteBuffer datagram) {
		synchronized (this.holdLock) {
			if (this.heldToServer == null) {
				return false;
			}
			ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram).flip();
			this.heldToServer.addFirst(copy);
			return true;
		}
	}

	private boolean keep() {
		boolean drop;
		synchronized (this.random) {
			drop = this.random.nextDouble() < this.lossRate;
		}
		(drop ? this.dropped : this.forwarded).incrementAndGet();
		return !drop;
	}

	@Override
	public void close() throws IOException {
		this.clientSide.close();
		this.serverSide.close();
	}

}
