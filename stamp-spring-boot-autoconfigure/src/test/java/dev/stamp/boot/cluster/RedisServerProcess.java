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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
 * stopped after them) or start and close it by hand. {@link #keepingData()} keeps the
 * data across a stop and a start, {@link #withClusterEnabled()} runs a node of a Redis
 * Cluster (with no slots assigned).
 */
public final class RedisServerProcess implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	private static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private final int port;

	private final Path log;

	/** Redis' working directory: its append-only file or cluster configuration. */
	private final Path directory;

	private final List<String> options;

	private Process process;

	public RedisServerProcess() {
		this(List.of("--save", "", "--appendonly", "no"));
	}

	private RedisServerProcess(List<String> options) {
		this.port = freePort();
		this.options = options;
		try {
			this.log = Files.createTempFile("redis-" + this.port + "-", ".log");
			this.directory = Files.createTempDirectory("redis-" + this.port + "-");
		}
		catch (IOException ex) {
			throw new IllegalStateException("No log file or directory for redis-server", ex);
		}
	}

	/**
	 * A Redis that keeps its data across {@link #stop()} and {@link #start()}: every
	 * write goes to an append-only file before Redis answers it, as a Redis that is
	 * restarted or loses its network for a while.
	 * @return the Redis, not started yet
	 */
	public static RedisServerProcess keepingData() {
		return new RedisServerProcess(List.of("--save", "", "--appendonly", "yes", "--appendfsync", "always"));
	}

	/**
	 * A Redis with {@code cluster-enabled yes}: {@code INFO cluster} says
	 * {@code cluster_enabled:1}, and commands on keys fail, since no slot is assigned.
	 * @return the Redis, not started yet
	 */
	public static RedisServerProcess withClusterEnabled() {
		return new RedisServerProcess(List.of("--save", "", "--appendonly", "no", "--cluster-enabled", "yes",
				"--cluster-config-file", "nodes.conf"));
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
			List<String> command = new ArrayList<>(List.of(REDIS_SERVER.toString(), "--port",
					Integer.toString(this.port), "--bind", "127.0.0.1", "--dir", this.directory.toString()));
			command.addAll(this.options);
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
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

	/**
	 * Stops Redis and starts it again on the same port, with no data unless it is
	 * {@link #keepingData()}.
	 */
	public synchronized void restart() {
		stop();
		start();
	}

	/** Stops Redis and deletes its log and its directory. */
	@Override
	public void close() {
		stop();
		try {
			Files.deleteIfExists(this.log);
			try (Stream<Path> files = Files.walk(this.directory)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException ex) {
			// A log or files left in the temporary directory are harmless.
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

	/**
	 * Sends one command on a connection of its own, apart from any client under test, and
	 * answers Redis' reply: the text of a simple string, integer or bulk string,
	 * {@code null} for a null bulk string.
	 * @param arguments the command and its arguments
	 * @return the reply's text
	 * @throws IllegalStateException when Redis answers an error or not at all
	 */
	public String command(String... arguments) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 1000);
			socket.setSoTimeout(5000);
			StringBuilder request = new StringBuilder("*" + arguments.length + "\r\n");
			for (String argument : arguments) {
				request.append('$')
					.append(argument.getBytes(StandardCharsets.UTF_8).length)
					.append("\r\n")
					.append(argument)
					.append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			String line = readLine(in);
			switch (line.charAt(0)) {
				case '+', ':' -> {
					return line.substring(1);
				}
				case '$' -> {
					int length = Integer.parseInt(line.substring(1));
					if (length < 0) {
						return null;
					}
					// By length: a bulk string (INFO's, say) may span several lines.
					String bulk = new String(in.readNBytes(length), StandardCharsets.UTF_8);
					in.readNBytes(2);
					return bulk;
				}
				default -> throw new IllegalStateException("Redis answered " + line);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Redis did not answer " + List.of(arguments), ex);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != '\r') {
			if (c == -1) {
				throw new IOException("Connection closed");
			}
			line.append((char) c);
		}
		in.read();
		return line.toString();
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
