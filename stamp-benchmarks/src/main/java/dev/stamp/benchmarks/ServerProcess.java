package dev.stamp.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server JVM forked from the load generator's: same {@code java}, same class path,
 * {@link ServerMain} as main class. Its log goes to a file; lines it addresses to the
 * load generator are parsed.
 */
final class ServerProcess implements AutoCloseable {

	private final Process process;

	private final PrintWriter commands;

	private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

	private final AtomicInteger leakReports = new AtomicInteger();

	private final Map<String, Integer> ports = new LinkedHashMap<>();

	private final Map<String, byte[]> certificates = new LinkedHashMap<>();

	private final Path log;

	private String javaVersion = "?";

	private ServerProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
		this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
				true);
	}

	static ServerProcess start(String mode, List<String> jvmArgs, Path logDirectory)
			throws IOException, InterruptedException {
		return start(mode, List.of(), jvmArgs, logDirectory);
	}

	/**
	 * Starts a server process.
	 * @param mode what to start (see {@link ServerMain})
	 * @param arguments further arguments of the mode
	 * @param jvmArgs options of the server JVM
	 * @param logDirectory where its log goes
	 */
	static ServerProcess start(String mode, List<String> arguments, List<String> jvmArgs, Path logDirectory)
			throws IOException, InterruptedException {
		return start(mode, mode, arguments, jvmArgs, logDirectory);
	}

	/**
	 * Starts a server process whose log is named apart from its mode's, for several
	 * processes of one mode.
	 * @param name the log's name, {@code server-<name>.log}
	 * @param mode what to start (see {@link ServerMain})
	 * @param arguments further arguments of the mode
	 * @param jvmArgs options of the server JVM
	 * @param logDirectory where its log goes
	 */
	static ServerProcess start(String name, String mode, List<String> arguments, List<String> jvmArgs,
			Path logDirectory) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		if (Runtime.version().feature() >= 22) {
			// Netty loads its epoll library; say so rather than be warned about it.
			command.add("--enable-native-access=ALL-UNNAMED");
		}
		command.addAll(jvmArgs);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(ServerMain.class.getName());
		command.add(mode);
		command.addAll(arguments);
		Files.createDirectories(logDirectory);
		Path log = logDirectory.resolve("server-" + name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		ServerProcess server = new ServerProcess(process, log);
		Thread reader = new Thread(() -> server.pump(), "server-output-" + name);
		reader.setDaemon(true);
		reader.start();
		String ready = server.reply("READY", 120);
		for (String field : ready.split(" ")) {
			int equals = field.indexOf('=');
			if (equals > 0) {
				String key = field.substring(0, equals);
				String value = field.substring(equals + 1);
				if (key.equals("java")) {
					server.javaVersion = value;
				}
				else if (key.startsWith(ServerMain.CERTIFICATE_PREFIX)) {
					server.certificates.put(key.substring(ServerMain.CERTIFICATE_PREFIX.length()),
							Base64.getDecoder().decode(value));
				}
				else if (key.contains("/")) {
					server.ports.put(key, Integer.parseInt(value));
				}
			}
		}
		return server;
	}

	private void pump() {
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				Writer file = Files.newBufferedWriter(this.log, StandardCharsets.UTF_8)) {
			String line;
			while ((line = output.readLine()) != null) {
				file.write(line);
				file.write('\n');
				if (line.startsWith(ServerMain.PREFIX)) {
					this.replies.add(line.substring(ServerMain.PREFIX.length()));
					file.flush();
				}
				if (line.contains("LEAK:")) {
					this.leakReports.incrementAndGet();
				}
			}
		}
		catch (IOException ex) {
			// process gone
		}
		this.replies.add("EXITED");
	}

	private String reply(String expected, int timeoutSeconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
		while (true) {
			long left = deadline - System.nanoTime();
			String line = this.replies.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
			if (line == null) {
				throw new IllegalStateException(
						"Server did not answer " + expected + " in " + timeoutSeconds + " s; see " + this.log);
			}
			if (line.equals("EXITED")) {
				throw new IllegalStateException("Server exited before " + expected + "; see " + this.log);
			}
			if (line.startsWith(expected)) {
				return line;
			}
		}
	}

	int port(String peer) {
		Integer port = this.ports.get(peer);
		if (port == null) {
			throw new IllegalArgumentException("Server has no peer " + peer + ": " + this.ports);
		}
		return port;
	}

	/** Whether the server started this peer ({@code scenario/peer}). */
	boolean serves(String peer) {
		return this.ports.containsKey(peer);
	}

	/** The SHA-256 of a WebTransport peer's certificate, for the client to pin. */
	byte[] certificateSha256(String peer) {
		byte[] hash = this.certificates.get(peer);
		if (hash == null) {
			throw new IllegalArgumentException(
					"Server has no certificate for " + peer + ": " + this.certificates.keySet());
		}
		return hash;
	}

	String javaVersion() {
		return this.javaVersion;
	}

	long pid() {
		return this.process.pid();
	}

	/** Netty leak reports the server logged so far. */
	int leakReports() {
		return this.leakReports.get();
	}

	Memory memory() throws InterruptedException {
		this.commands.println("MEM");
		String line = this.reply("MEM", 60);
		Map<String, Long> values = new LinkedHashMap<>();
		for (String field : line.split(" ")) {
			int equals = field.indexOf('=');
			if (equals > 0) {
				values.put(field.substring(0, equals), Long.parseLong(field.substring(equals + 1)));
			}
		}
		return new Memory(values.get("heap"), values.get("rss"), values.get("sessions").intValue());
	}

	@Override
	public void close() throws InterruptedException {
		this.commands.println("QUIT");
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	/**
	 * The server's memory: heap used after a full GC, resident set size, connections or
	 * sessions it counts.
	 */
	record Memory(long heap, long rss, int sessions) {
	}

}
