package dev.stamp.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps BoringSSL in the load generator from loading a CA bundle.
 * <p>
 * quiche creates a TLS context with the default verify paths loaded for every QUIC codec
 * (Netty's {@code QuicheConfig}), although Netty verifies certificates with its own trust
 * manager. Where {@value #VARIABLE} names a bundle (many container and CI images set it;
 * so does the machine these benchmarks were written on) or BoringSSL's built-in default
 * path holds one, loading it costs about 5 ms of CPU per codec (Debian's bundle,
 * measured). The WebTransport clients, Stamp's and the raw one alike, build a codec per
 * connection, so that cost alone would make the load generator the bottleneck of the
 * session and memory figures. The load generator pins the servers' certificates by hash
 * and never uses a bundle: it runs with {@value #VARIABLE} pointing at an empty file.
 */
final class NoSystemCaBundle {

	/** Read by BoringSSL whenever it loads the default verify paths. */
	static final String VARIABLE = "SSL_CERT_FILE";

	private static final String EMPTY = "/dev/null";

	private NoSystemCaBundle() {
	}

	/** Whether this process already runs with the variable pointing at the empty file. */
	static boolean isInEffect() {
		return EMPTY.equals(System.getenv(VARIABLE));
	}

	/**
	 * Runs this JVM's command again (same {@code java}, JVM options, class path, main
	 * class and arguments) with the variable set, its output inherited.
	 * @return the exit code of that run
	 */
	static int rerun(Class<?> mainClass, String[] args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass.getName());
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
		builder.environment().put(VARIABLE, EMPTY);
		return builder.start().waitFor();
	}

}
