package dev.stamp.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import dev.stamp.core.BlockingHandlerExecutor;

/**
 * The TCP echo a user writes without any framework: a {@link ServerSocket} and a thread
 * per connection that writes back what it reads, on platform threads or (Java 21+) on
 * virtual threads.
 */
final class JavaSocketEcho implements AutoCloseable {

	/** As much as one read takes at most, as Stamp's blocking echo route reads. */
	private static final int BUFFER = 16 * 1024;

	private static final int BACKLOG = 1024;

	private final ServerSocket server;

	private final ExecutorService connectionThreads;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private JavaSocketEcho(ExecutorService connectionThreads) throws IOException {
		this.connectionThreads = connectionThreads;
		this.server = new ServerSocket(0, BACKLOG, InetAddress.getByName(LoadGenerator.HOST));
		Thread acceptor = new Thread(this::accept, "java-socket-accept-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * A platform thread per connection (a cached pool: a closed connection's thread may
	 * serve a later one).
	 */
	static JavaSocketEcho platformThreads() throws IOException {
		AtomicLong counter = new AtomicLong();
		return new JavaSocketEcho(Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "java-socket-" + counter.getAndIncrement());
			thread.setDaemon(true);
			return thread;
		}));
	}

	/** A virtual thread per connection; only on Java 21 and later. */
	static JavaSocketEcho virtualThreads() throws IOException {
		if (!BlockingHandlerExecutor.virtualThreadsAvailable()) {
			throw new IllegalStateException("No virtual threads on Java " + Runtime.version().feature());
		}
		// On 21+ this is a virtual thread per task; the pool sizes only apply to Java 17.
		return new JavaSocketEcho(BlockingHandlerExecutor.create("java-socket-virtual-", 1, 1));
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				socket.setTcpNoDelay(true);
				this.open.add(socket);
				try {
					this.connectionThreads.execute(() -> echo(socket));
				}
				catch (RejectedExecutionException ex) {
					close(socket);
				}
			}
			catch (IOException ex) {
				// closed: the loop ends
			}
		}
	}

	private void echo(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			byte[] buffer = new byte[BUFFER];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
			}
		}
		catch (IOException ex) {
			// the client went away
		}
		finally {
			this.open.remove(socket);
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.open.forEach(JavaSocketEcho::close);
		this.connectionThreads.shutdownNow();
	}

}
