package dev.stamp.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's handling of the peers users of blocking code pick, from made-up
 * measurements: targets that ask for a lower p99, peers a JDK 17 server cannot run, and
 * the ratio charts.
 */
class BenchmarkReportTests {

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G' };

	@TempDir
	Path directory;

	@Test
	void blockingPeersOnJava17() throws IOException {
		BenchmarkReport report = report("17.0.15+6-Debian-1deb12u1");
		String markdown = report.markdown();
		assertThat(markdown).contains(
				"| Spring MVC `@RestController` on Tomcat, `spring.threads.virtual.enabled` | n/a (JDK 17) | – |",
				"| stamp-blocking / tomcat-mvc-virtual | n/a (JDK 17) | – | ≥ 1.5x, lower p99 | – |",
				"| Java `ServerSocket`, a virtual thread per connection | n/a (JDK 17) |");
		// Twice the throughput but a higher p99: the target asks for both.
		assertThat(markdown).contains("| stamp-blocking / tomcat-mvc | 2.00x | 2.00x | ≥ 1.5x, lower p99 | **no** "
				+ "(p99 not lower) | 1.25x | 0.50x |");
		assertThat(markdown).contains("- stamp-blocking / tomcat-mvc missed: server CPU per request 50.0 µs against "
				+ "100.0 µs (0.50x); server busy 0.50 cores against 0.50");
		assertThat(markdown).contains("| stamp-blocking / java-socket | 1.00x | 1.00x | ≥ 1.0x | yes |");
		assertThat(markdown)
			.contains("| stamp-blocking / tomcat-websocket | 2.00x | 2.00x | ≥ 1.5x, lower p99 | yes |");
		assertThat(markdown).contains("![Stamp / peer throughput, http](results-http.png)");
	}

	@Test
	void virtualThreadPeersAreMeasuredOnJava21() {
		BenchmarkReport report = report("25.0.1+8-LTS");
		report.add("http", BenchmarkMain.TOMCAT_MVC_VIRTUAL, measurement(5_000, 600));
		report.add("tcp", BenchmarkMain.JAVA_SOCKET_VIRTUAL, measurement(50_000, 100));
		String markdown = report.markdown();
		assertThat(markdown).doesNotContain("n/a (JDK");
		assertThat(markdown)
			.contains("| stamp-blocking / tomcat-mvc-virtual | 2.00x | 2.00x | ≥ 1.5x, lower p99 | yes |");
		assertThat(markdown).contains("| stamp-blocking / java-socket-virtual | 0.50x | 0.50x | ≥ 1.0x | **no** |");
	}

	@Test
	void chartsArePngFilesNextToTheReport() throws IOException {
		BenchmarkReport report = report("17.0.15");
		List<Path> charts = report.writeCharts();
		assertThat(charts).containsExactly(this.directory.resolve("results-http.png"),
				this.directory.resolve("results-tcp.png"), this.directory.resolve("results-ws.png"));
		for (Path chart : charts) {
			byte[] bytes = Files.readAllBytes(chart);
			assertThat(bytes).as("%s", chart).hasSizeGreaterThan(1000).startsWith(PNG_SIGNATURE);
		}
	}

	private BenchmarkReport report(String serverJava) {
		BenchmarkOptions options = BenchmarkOptions.full();
		options.scenarios = new LinkedHashSet<>(List.of("http", "tcp", "ws"));
		options.output = this.directory.resolve("results.md");
		BenchmarkReport report = new BenchmarkReport(options, Instant.now());
		report.serverJava = serverJava;
		report.add("http", "raw", measurement(20_000, 200));
		report.add("http", "webflux", measurement(8_000, 600));
		report.add("http", BenchmarkMain.TOMCAT_MVC, measurement(5_000, 400));
		report.add("http", "stamp-blocking", measurement(10_000, 500));
		report.add("http", "stamp-reactive", measurement(19_000, 250));
		report.add("tcp", "raw", measurement(30_000, 200));
		report.add("tcp", BenchmarkMain.JAVA_SOCKET, measurement(25_000, 300));
		report.add("tcp", "stamp-blocking", measurement(25_000, 250));
		report.add("tcp", "stamp-reactive", measurement(29_000, 200));
		report.add("ws", "raw", measurement(30_000, 200));
		report.add("ws", BenchmarkMain.TOMCAT_WEBSOCKET, measurement(10_000, 900));
		report.add("ws", "stamp-blocking", measurement(20_000, 300));
		report.add("ws", "stamp-reactive", measurement(28_000, 220));
		return report;
	}

	/**
	 * One second at this many requests per second, every latency at {@code micros}, half
	 * a server core busy.
	 */
	private static Measurement measurement(long perSecond, long micros) {
		Histogram latency = new Histogram(3);
		latency.recordValueWithCount(micros * 1000, perSecond);
		return new Measurement(perSecond, latency, 1.0, 0, 0, 0, List.of(),
				new CpuMeter.Usage(0.5, 0.5, 0.5, 0.0, 0.0));
	}

}
