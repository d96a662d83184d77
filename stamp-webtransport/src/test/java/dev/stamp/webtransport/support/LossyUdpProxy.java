package dev.stamp.webtransport.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on 127.0.0.1 that drops a share of the datagrams in each direction, for one client: a lossy network
 * between real endpoints. The drop decisions come from a seeded random sequence.
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
				if (keep()) {
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
