package dev.stamp.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

	private static final Pattern LISTENER_STOPPED = Pattern
		.compile("Stamp (tcp|websocket|http|webtransport) listener stopped$");

	@Test
	void runsFromTheCommandLineWithPortOverridesUntilStopped() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.start(List.of())) {
			// main() has returned by now; the listeners must still serve.
			assertThat(httpGet(app.port("http"), "/api/data")).isEqualTo("{\"data\":[1,2,3]}");
			assertTcpEcho(app.port("tcp"));
			assertThat(app.process().isAlive()).as("the application is still running").isTrue();

			assertThat(app.stop()).as("the application stops on SIGTERM").isTrue();
			Set<String> stopped = new HashSet<>();
			while (stopped.size() < SampleAppProcess.PROTOCOLS.size()) {
				stopped.add(app.await(LISTENER_STOPPED).group(1));
			}
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

}
