package dev.stamp.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application as people run it: its {@code main} in a JVM of its own,
 * configured from the command line.
 * <p>
 * This is what the in-process tests cannot see: that {@code --stamp.<protocol>.port=}
 * overrides {@code application.yml}, that the application keeps running after
 * {@code main} returns although Stamp's event loops are daemon threads, and that SIGTERM
 * stops every listener gracefully.
 */
class SampleAppLaunchTests {

	private static final List<String> PROTOCOLS = List.of("tcp", "websocket", "http", "webtransport");

	private static final Pattern LISTENER_STOPPED = Pattern
		.compile("Stamp (tcp|websocket|http|webtransport) listener stopped$");

	private static final Pattern LISTENER_STARTED = Pattern
		.compile("Stamp (tcp|websocket|http|webtransport) listener started on 127\\.0\\.0\\.1:(\\d+)");

	private static final Duration WAIT = Duration.ofSeconds(60);

	@Test
	void runsFromTheCommandLineWithPortOverridesUntilStopped() throws Exception {
		List<String> command = new ArrayList<>(
				List.of(javaExecutable(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
						StampSampleApplication.class.getName(), "--spring.main.banner-mode=off"));
		for (String protocol : PROTOCOLS) {
			// Port 0 proves the command line wins over application.yml (7070, 9000, 8000,
			// 4433) and never clashes.
			command.add("--stamp." + protocol + ".port=0");
			command.add("--stamp." + protocol + ".host=127.0.0.1");
		}
		// Spring's own web server (Actuator) on a free port too.
		command.add("--server.port=0");
		command.add("--server.address=127.0.0.1");
		Process app = new ProcessBuilder(command).redirectErrorStream(true).start();
		Output output = new Output(app);
		try {
			Map<String, Integer> ports = new HashMap<>();
			while (ports.size() < PROTOCOLS.size()) {
				Matcher started = output.await(LISTENER_STARTED);
				ports.put(started.group(1), Integer.parseInt(started.group(2)));
			}
			output.await(Pattern.compile("Started StampSampleApplication"));

			// main() has returned by now; the listeners must still serve.
			assertThat(httpGet(ports.get("http"), "/api/data")).isEqualTo("{\"data\":[1,2,3]}");
			assertTcpEcho(ports.get("tcp"));
			assertThat(app.isAlive()).as("the application is still running").isTrue();

			// SIGTERM through the process handle: Process.destroy() would also close our
			// end of its output pipe.
			assertThat(app.toHandle().destroy()).isTrue();
			assertThat(app.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the application stops on SIGTERM").isTrue();
			Set<String> stopped = new HashSet<>();
			while (stopped.size() < PROTOCOLS.size()) {
				stopped.add(output.await(LISTENER_STOPPED).group(1));
			}
		}
		finally {
			app.destroyForcibly();
		}
	}

	private static String httpGet(int port, String path) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		return http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), BodyHandlers.ofString())
			.body();
	}

	private static void assertTcpEcho(int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
			assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * The child's output, line by line, read on a thread of its own so the child never
	 * blocks on a full pipe.
	 */
	private static final class Output {

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		private final StringBuilder seen = new StringBuilder();

		Output(Process process) {
			Thread reader = new Thread(() -> {
				try (BufferedReader in = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = in.readLine()) != null) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// The process is gone; await() reports what was seen.
				}
			}, "sample-app-output");
			reader.setDaemon(true);
			reader.start();
		}

		/**
		 * Waits for the next line matching a pattern, failing with everything the
		 * application printed.
		 */
		Matcher await(Pattern pattern) throws InterruptedException {
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (System.nanoTime() < deadline) {
				String line = this.lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				if (line == null) {
					break;
				}
				this.seen.append(line).append('\n');
				Matcher matcher = pattern.matcher(line);
				if (matcher.find()) {
					return matcher;
				}
			}
			throw new AssertionError("The application never printed /" + pattern + "/; its output:\n" + this.seen);
		}

	}

}
