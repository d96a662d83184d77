package dev.stamp.boot.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} (Debian's package, {@code /usr/bin/redis-server}) as a
 * child process of the test JVM, on a free port of 127.0.0.1, without persistence.
 * Started and stopped by its PID, never through a system service, so it can also be
 * stopped and started again on the same port to test what happens when Redis restarts.
 * <p>
 * Use it as a static {@code @RegisterExtension} (started before the class's tests,
 * stopped after them) or start and close it by hand.
 */
public final class RedisServerProcess implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private final int port;

	private final Path log;

	private Process process;

	public RedisServerProcess() {
		this.port = freePort();
		try {
			this.log = Files.createTempFile("redis-" + this.port + "-", ".log");
		}
		catch (IOException ex) {
			throw new IllegalStateException("No log file for redis-server", ex);
		}
	}

	/** The port Redis listens on, the same across restarts. */
	public int port() {
		return this.port;
	}

	/** Whether the process runs. */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Starts Redis and waits until it answers {@code PING}. */
	public synchronized void start() {
		if (isRunning()) {
			return;
		}
		if (!Files.isExecutable(REDIS_SERVER)) {
			throw new IllegalStateException(REDIS_SERVER + " is missing: install it with scripts/install-test-browser"
					+ " (or: apt-get install redis-server)");
		}
		try {
			this.process = new ProcessBuilder(List.of(REDIS_SERVER.toString(), "--port", Integer.toString(this.port),
					"--bind", "127.0.0.1", "--save", "", "--appendonly", "no"))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
			awaitPing();
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-server did not start", ex);
		}
	}

	/** Stops Redis by its PID and waits until the process is gone. */
	public synchronized void stop() {
		if (this.process == null) {
			return;
		}
		if (this.process.isAlive()) {
			// A frozen process would not act on SIGTERM until it is let go.
			signal("-CONT");
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	/**
	 * Freezes Redis with SIGSTOP: its socket stays open and accepts, nothing answers, as
	 * when Redis is overloaded or its host stalls. {@link #unfreeze()} lets it go on.
	 */
	public synchronized void freeze() {
		signal("-STOP");
	}

	/** Lets a {@link #freeze() frozen} Redis go on with SIGCONT. */
	public synchronized void unfreeze() {
		signal("-CONT");
	}

	private void signal(String signal) {
		if (this.process == null) {
			throw new IllegalStateException("redis-server is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill " + signal + " failed for redis-server " + this.process.pid());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("kill " + signal + " did not run", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling redis-server", ex);
		}
	}

	/** Stops Redis and starts it again on the same port, with no data. */
	public synchronized void restart() {
		stop();
		start();
	}

	/** Stops Redis and deletes its log. */
	@Override
	public void close() {
		stop();
		try {
			Files.deleteIfExists(this.log);
		}
		catch (IOException ex) {
			// A log left in the temporary directory is harmless.
		}
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	private void awaitPing() throws IOException {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited with " + this.process.exitValue() + ": "
						+ Files.readString(this.log, StandardCharsets.UTF_8));
			}
			if (answersPing()) {
				return;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
			}
		}
		stop();
		throw new IllegalStateException("redis-server did not answer PING within " + START_TIMEOUT + ": "
				+ Files.readString(this.log, StandardCharsets.UTF_8));
	}

	private boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 1000);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = in.readNBytes(7);
			return "+PONG\r\n".equals(new String(answer, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free port", ex);
		}
	}

}
