package dev.stamp.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample application's {@code main} in a JVM of its own, on the test's class path,
 * configured from the command line as people run it. Its output is read line by line on a
 * thread of its own (so the child never blocks on a full pipe) and can be awaited.
 */
final class SampleAppProcess implements AutoCloseable {

	static final List<String> PROTOCOLS = List.of("tcp", "websocket", "http", "webtransport");

	static final Duration WAIT = Duration.ofSeconds(60);

	private static final Pattern LISTENER_STARTED = Pattern
		.compile("Stamp (tcp|websocket|http|webtransport) listener started on 127\\.0\\.0\\.1:(\\d+)");

	private static final Pattern ACTUATOR_STARTED = Pattern.compile("Netty started on port (\\d+)");

	private final Process process;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private final StringBuffer seen = new StringBuffer();

	private final Map<String, Integer> ports = new HashMap<>();

	private SampleAppProcess(Process process) {
		this.process = process;
		Thread reader = new Thread(this::read, "sample-app-output-" + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts the application with every listener and Spring's server on a free port of
	 * 127.0.0.1, and waits until it has started.
	 * @param arguments further command-line arguments
	 * @return the running application, its ports read from its log
	 */
	static SampleAppProcess start(List<String> arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
						"-cp", System.getProperty("java.class.path"), StampSampleApplication.class.getName(),
						"--spring.main.banner-mode=off"));
		for (String protocol : PROTOCOLS) {
			// Port 0 proves the command line wins over application.yml (7070, 9000, 8000,
			// 4433) and never clashes.
			command.add("--stamp." + protocol + ".port=0");
			command.add("--stamp." + protocol + ".host=127.0.0.1");
		}
		command.add("--server.port=0");
		command.add("--server.address=127.0.0.1");
		command.addAll(arguments);
		SampleAppProcess app = new SampleAppProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
		try {
			app.awaitStarted();
		}
		catch (AssertionError | InterruptedException ex) {
			app.close();
			throw ex;
		}
		return app;
	}

	private void awaitStarted() throws InterruptedException {
		while (!this.ports.keySet().containsAll(PROTOCOLS) || !this.ports.containsKey("actuator")) {
			Matcher matcher = await(Pattern.compile(LISTENER_STARTED.pattern() + "|" + ACTUATOR_STARTED.pattern()));
			if (matcher.group(1) != null) {
				this.ports.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
			}
			else {
				this.ports.put("actuator", Integer.parseInt(matcher.group(3)));
			}
		}
		await(Pattern.compile("Started StampSampleApplication"));
	}

	/**
	 * The port a listener bound.
	 * @param protocol {@code tcp}, {@code websocket}, {@code http}, {@code webtransport}
	 * or {@code actuator} (Spring's own server)
	 * @return the port
	 */
	int port(String protocol) {
		Integer port = this.ports.get(protocol);
		if (port == null) {
			throw new IllegalArgumentException("No " + protocol + " port in the application's log");
		}
		return port;
	}

	Process process() {
		return this.process;
	}

	/**
	 * Waits for the next line matching a pattern, failing with everything the application
	 * printed.
	 * @param pattern what to wait for
	 * @return the match
	 */
	Matcher await(Pattern pattern) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			String line = this.lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (line == null) {
				break;
			}
			Matcher matcher = pattern.matcher(line);
			if (matcher.find()) {
				return matcher;
			}
		}
		throw new AssertionError("The application never printed /" + pattern + "/; its output:\n" + output());
	}

	/**
	 * Everything the application printed so far.
	 * @return the output
	 */
	String output() {
		return this.seen.toString();
	}

	/**
	 * Sends SIGTERM, as a process manager stops the application, and waits for it to end.
	 * @return whether it ended in time
	 */
	boolean stop() throws InterruptedException {
		// Through the process handle: Process.destroy() would also close our end of its
		// output pipe.
		this.process.toHandle().destroy();
		return this.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	/**
	 * Kills the application with SIGKILL: no shutdown hook runs, as when a node dies.
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

	private void read() {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				this.seen.append(line).append('\n');
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// The process is gone; await() reports what was seen.
		}
	}

}
