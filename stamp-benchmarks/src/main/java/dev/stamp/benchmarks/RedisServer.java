package dev.stamp.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} ({@code /usr/bin/redis-server}) on a free port of 127.0.0.1,
 * without persistence, a child process of the load generator. The cluster tests'
 * {@code RedisServerProcess} is a JUnit extension of the autoconfigure module's tests:
 * the harness's jar stays free of JUnit.
 */
final class RedisServer implements AutoCloseable {

	private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

	private final Process process;

	private final int port;

	private RedisServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static RedisServer start(Path logDirectory) throws IOException, InterruptedException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Files.createDirectories(logDirectory);
		Process process = new ProcessBuilder(List.of(REDIS_SERVER.toString(), "--port", Integer.toString(port),
				"--bind", "127.0.0.1", "--save", "", "--appendonly", "no"))
			.redirectErrorStream(true)
			.redirectOutput(logDirectory.resolve("redis-server.log").toFile())
			.start();
		RedisServer redis = new RedisServer(process, port);
		redis.awaitPing();
		return redis;
	}

	int port() {
		return this.port;
	}

	private void awaitPing() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited: is " + REDIS_SERVER + " installed?");
			}
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
				OutputStream out = socket.getOutputStream();
				out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
				InputStream in = socket.getInputStream();
				byte[] reply = new byte[7];
				if (in.readNBytes(reply, 0, 7) == 7
						&& new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("redis-server did not answer PING in 20 s");
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}
