package dev.stamp.webtransport.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.netty.channel.Channel;

/**
 * The UDP sockets of a client's QUIC connections, each shared by up to a given number of
 * connections. QUIC tells connections apart by their connection ids, not by address, so
 * one socket can carry many; a client that holds tens of thousands of connections then
 * needs a descriptor and an ephemeral port per socket, not per connection. With one
 * connection per socket every connection gets a socket of its own, closed with it.
 * <p>
 * Sockets are grouped by a key (the local address and whatever else the socket's codec
 * depends on); a socket takes connections until it has had its number, and closes when
 * the last of them is released.
 *
 * @param <K> the key sockets are grouped by
 */
public final class SharedDatagramSockets<K> {

	private final int connectionsPerSocket;

	private final Function<K, Channel> bind;

	private final Map<K, Socket> filling = new HashMap<>();

	/**
	 * Creates the sockets' registry.
	 * @param connectionsPerSocket connections one socket carries at most, at least 1
	 * @param bind binds a new socket for a key (called without any lock held); may throw
	 * to fail the acquisition
	 */
	public SharedDatagramSockets(int connectionsPerSocket, Function<K, Channel> bind) {
		if (connectionsPerSocket < 1) {
			throw new IllegalArgumentException("connectionsPerSocket must be at least 1, was " + connectionsPerSocket);
		}
		this.connectionsPerSocket = connectionsPerSocket;
		this.bind = bind;
	}

	/**
	 * A socket for one more connection: the key's socket that still takes connections, or
	 * a new one.
	 * @param key the key of the socket
	 * @return the lease of a place on the socket; release it when the connection closes
	 * or failed to open
	 */
	public Lease acquire(K key) {
		synchronized (this.filling) {
			Socket socket = this.filling.get(key);
			if (socket != null) {
				return assign(key, socket);
			}
		}
		// Bound outside the lock: binding waits for an event loop, and an event loop
		// releasing a lease must never wait for a thread that waits for it.
		Channel channel = this.bind.apply(key);
		Channel unused = null;
		try {
			synchronized (this.filling) {
				Socket socket = this.filling.get(key);
				if (socket == null) {
					socket = new Socket(channel);
					this.filling.put(key, socket);
				}
				else {
					// Another caller bound one for this key meanwhile: take a place on
					// it.
					unused = channel;
				}
				return assign(key, socket);
			}
		}
		finally {
			if (unused != null) {
				unused.close();
			}
		}
	}

	// Guarded by the registry's lock.
	private Lease assign(K key, Socket socket) {
		socket.assigned++;
		socket.open++;
		if (socket.assigned >= this.connectionsPerSocket) {
			this.filling.remove(key);
			socket.full = true;
		}
		return new Lease(socket);
	}

	/**
	 * Connections a socket carries at most.
	 * @return the number given at construction
	 */
	public int connectionsPerSocket() {
		return this.connectionsPerSocket;
	}

	private void release(Socket socket) {
		boolean close;
		synchronized (this.filling) {
			socket.open--;
			close = socket.open == 0 && socket.full;
		}
		if (close) {
			socket.channel.close();
		}
	}

	private static final class Socket {

		private final Channel channel;

		/** Connections given this socket so far; guarded by the registry's lock. */
		private int assigned;

		/**
		 * Connections on this socket not yet released; guarded by the registry's lock.
		 */
		private int open;

		/**
		 * Whether the socket takes no more connections; guarded by the registry's lock.
		 */
		private boolean full;

		private Socket(Channel channel) {
			this.channel = channel;
		}

	}

	/** One connection's place on a shared socket. */
	public final class Lease {

		private final Socket socket;

		private final AtomicBoolean released = new AtomicBoolean();

		private Lease(Socket socket) {
			this.socket = socket;
		}

		/**
		 * The socket to open the connection on.
		 * @return the UDP channel
		 */
		public Channel channel() {
			return this.socket.channel;
		}

		/**
		 * Gives the place back; the socket closes with its last connection. Idempotent.
		 */
		public void release() {
			if (this.released.compareAndSet(false, true)) {
				SharedDatagramSockets.this.release(this.socket);
			}
		}

	}

}
