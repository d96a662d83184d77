package dev.stamp.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import javax.management.ObjectName;

import org.springframework.context.ConfigurableApplicationContext;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.listener.ListenerPorts;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.websocket.WebSocketListener;
import dev.stamp.boot.webtransport.WebTransportListener;
import dev.stamp.core.BlockingHandlerExecutor;
import dev.stamp.webtransport.WebTransportStats;

/**
 * The server process: starts the peers of one run on 127.0.0.1 port 0, prints their ports
 * (and the certificate hashes of the WebTransport peers), then answers the load
 * generator's commands on standard input ({@code MEM}: heap after GC, RSS and the
 * sessions the server counts; {@code QUIT}, or end of input: exit).
 * <p>
 * Modes: {@code throughput} starts every HTTP, TCP and WebSocket peer side by side in
 * this one process (Reactor Netty and Tomcat alike, each Spring application in a context
 * of its own); {@code webtransport} the WebTransport peers named in the second argument
 * (comma-separated). {@code memory-raw} and {@code memory-stamp} start only a WebSocket
 * echo, raw Reactor Netty or Stamp, and {@code wt-memory-<peer>} only one WebTransport
 * peer, so that the process's memory is that peer's alone. {@code fanout-node} starts one
 * node of the fan-out figure's cluster (Redis port, node id, publish batch size).
 */
public final class ServerMain {

	/**
	 * Lines the load generator reads start with this; everything else the process prints
	 * is log.
	 */
	static final String PREFIX = "STAMP-BENCH ";

	/**
	 * Starts the key of a WebTransport peer's certificate hash (base64) on the READY
	 * line.
	 */
	static final String CERTIFICATE_PREFIX = "sha256/";

	/** Memory modes of the WebTransport peers: this, then the peer's name. */
	static final String WT_MEMORY_MODE = "wt-memory-";

	/** System property naming a directory for class histograms (diagnostics only). */
	static final String HISTOGRAM_DIRECTORY = "stamp.bench.histograms";

	private static int histograms;

	private ServerMain() {
	}

	/** The soak's server: one Stamp application with all four protocols. */
	static final String SOAK_MODE = "soak";

	public static void main(String[] args) throws Exception {
		String mode = scaleAlias((args.length > 0) ? args[0] : "throughput");
		RawServers raw = new RawServers();
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		List<AutoCloseable> servers = new ArrayList<>();
		Map<String, Integer> ports = new LinkedHashMap<>();
		Map<String, String> certificates = new LinkedHashMap<>();
		IntSupplier sessions = () -> 0;
		switch (mode) {
			case "throughput" -> {
				ports.put("http/raw", raw.startHttp());
				ports.put("http/raw-timeouts", raw.startHttpWithTimeouts());
				ports.put("tcp/raw", raw.startTcpEcho());
				ports.put("tcp/reactor-netty", raw.startReactorNettyTcpEcho());
				ports.put("ws/raw", raw.startWebSocketEcho());
				ConfigurableApplicationContext webFlux = SpringApps.startWebFlux();
				contexts.add(webFlux);
				ports.put("http/webflux", SpringApps.port(webFlux, "local.server.port"));
				startBlockingPeers(ports, contexts, servers);
				ConfigurableApplicationContext reactive = SpringApps.startStamp(SpringApps.StampReactiveApp.class);
				contexts.add(reactive);
				ports.put("http/stamp-reactive", SpringApps.port(reactive, "local.stamp.http.port"));
				ports.put("tcp/stamp-reactive", SpringApps.port(reactive, "local.stamp.tcp.port"));
				ports.put("ws/stamp-reactive", SpringApps.port(reactive, "local.stamp.websocket.port"));
				ConfigurableApplicationContext blocking = SpringApps.startStamp(SpringApps.StampBlockingApp.class);
				contexts.add(blocking);
				ports.put("http/stamp-blocking", SpringApps.port(blocking, "local.stamp.http.port"));
				ports.put("tcp/stamp-blocking", SpringApps.port(blocking, "local.stamp.tcp.port"));
				ports.put("ws/stamp-blocking", SpringApps.port(blocking, "local.stamp.websocket.port"));
			}
			case "memory-raw" -> {
				ports.put("ws/raw", raw.startWebSocketEcho());
				sessions = RawServers.rawWebSocketSessions::get;
			}
			case "memory-stamp" -> {
				ConfigurableApplicationContext stampWebSocket = SpringApps
					.startStamp(SpringApps.StampWebSocketApp.class);
				contexts.add(stampWebSocket);
				ports.put("ws/stamp", SpringApps.port(stampWebSocket, "local.stamp.websocket.port"));
				sessions = stampWebSocket.getBean(WebSocketListener.class)::connectedClients;
			}
			case SOAK_MODE -> {
				ConfigurableApplicationContext soak = SpringApps.startStampSoak();
				contexts.add(soak);
				ports.put("http/stamp", SpringApps.port(soak, "local.stamp.http.port"));
				ports.put("tcp/stamp", SpringApps.port(soak, "local.stamp.tcp.port"));
				ports.put("ws/stamp", SpringApps.port(soak, "local.stamp.websocket.port"));
				ports.put("wt/stamp", SpringApps.port(soak, ListenerPorts.propertyName(StampProtocol.WEBTRANSPORT)));
				certificates.put("wt/stamp",
						soak.getEnvironment().getRequiredProperty(WebTransportListener.CERTIFICATE_HASH_PROPERTY));
				sessions = soak.getBean(WebSocketListener.class)::connectedClients;
			}
			case FanoutBenchmark.NODE_MODE -> {
				ConfigurableApplicationContext node = SpringApps.startStampClusterNode(Integer.parseInt(args[1]),
						args[2], Integer.parseInt(args[3]));
				contexts.add(node);
				ports.put("ws/" + args[2], SpringApps.port(node, "local.stamp.websocket.port"));
				StampTopics topics = node.getBean(StampTopics.class);
				awaitReceivingRemote(topics);
			}
			case "webtransport" -> {
				for (String peer : args[1].split(",")) {
					startWebTransport(peer, ports, certificates, contexts, servers);
				}
			}
			default -> {
				if (!mode.startsWith(WT_MEMORY_MODE)) {
					throw new IllegalArgumentException("Unknown mode " + mode);
				}
				sessions = startWebTransport(mode.substring(WT_MEMORY_MODE.length()), ports, certificates, contexts,
						servers);
			}
		}
		StringBuilder ready = new StringBuilder(PREFIX).append("READY");
		ports.forEach((peer, port) -> ready.append(' ').append(peer).append('=').append(port));
		certificates.forEach(
				(peer, hash) -> ready.append(' ').append(CERTIFICATE_PREFIX).append(peer).append('=').append(hash));
		ready.append(" java=").append(Runtime.version()).append(" pid=").append(ProcessHandle.current().pid());
		System.out.println(ready);
		System.out.flush();

		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String command;
		while ((command = commands.readLine()) != null) {
			command = command.trim();
			if (command.equals("MEM")) {
				long heap = heapAfterGc();
				writeHistogram();
				System.out.println(PREFIX + "MEM heap=" + heap + " rss=" + rss() + " sessions=" + sessions.getAsInt());
				System.out.flush();
			}
			else if (command.equals("QUIT")) {
				break;
			}
		}
		// Benchmark clients are gone by now: no need for the graceful stop's grace
		// period.
		for (ConfigurableApplicationContext context : contexts) {
			try {
				context.close();
			}
			catch (RuntimeException ex) {
				// exiting anyway
			}
		}
		for (AutoCloseable server : servers) {
			try {
				server.close();
			}
			catch (Exception ex) {
				// exiting anyway
			}
		}
		raw.close();
		System.out.println(PREFIX + "BYE");
		System.out.flush();
		System.exit(0);
	}

	/**
	 * The scale scenarios run the memory scenarios' servers: {@code scale-ws-<peer>} is
	 * {@code memory-<peer>}, {@code scale-wt-<peer>} is {@code wt-memory-<peer>}.
	 */
	static String scaleAlias(String mode) {
		if (mode.startsWith(BenchmarkOptions.SCALE_WS + "-")) {
			return "memory-" + mode.substring(BenchmarkOptions.SCALE_WS.length() + 1);
		}
		if (mode.startsWith(BenchmarkOptions.SCALE_WT + "-")) {
			return WT_MEMORY_MODE + mode.substring(BenchmarkOptions.SCALE_WT.length() + 1);
		}
		return mode;
	}

	/**
	 * The peers users of blocking code pick: Spring MVC and servlet WebSocket on Tomcat,
	 * and a plain Java {@code ServerSocket} echo with a thread per connection. The
	 * virtual-thread variants only where the JVM has virtual threads; the report marks
	 * them n/a elsewhere.
	 */
	private static void startBlockingPeers(Map<String, Integer> ports, List<ConfigurableApplicationContext> contexts,
			List<AutoCloseable> servers) throws IOException {
		boolean virtualThreads = BlockingHandlerExecutor.virtualThreadsAvailable();
		ConfigurableApplicationContext tomcat = SpringApps.startTomcat(SpringApps.TomcatWebSocketApp.class, false);
		contexts.add(tomcat);
		ports.put("http/" + BenchmarkMain.TOMCAT_MVC, SpringApps.port(tomcat, "local.server.port"));
		ports.put("ws/" + BenchmarkMain.TOMCAT_WEBSOCKET, SpringApps.port(tomcat, "local.server.port"));
		JavaSocketEcho javaSocket = JavaSocketEcho.platformThreads();
		servers.add(javaSocket);
		ports.put("tcp/" + BenchmarkMain.JAVA_SOCKET, javaSocket.port());
		if (virtualThreads) {
			ConfigurableApplicationContext tomcatVirtual = SpringApps.startTomcat(SpringApps.TomcatMvcApp.class, true);
			contexts.add(tomcatVirtual);
			ports.put("http/" + BenchmarkMain.TOMCAT_MVC_VIRTUAL, SpringApps.port(tomcatVirtual, "local.server.port"));
			JavaSocketEcho javaSocketVirtual = JavaSocketEcho.virtualThreads();
			servers.add(javaSocketVirtual);
			ports.put("tcp/" + BenchmarkMain.JAVA_SOCKET_VIRTUAL, javaSocketVirtual.port());
		}
	}

	/**
	 * Starts one WebTransport peer, publishing its port as {@code wt/<peer>} and its
	 * certificate's SHA-256.
	 * @return the sessions (raw QUIC: connections) the peer counts
	 */
	private static IntSupplier startWebTransport(String peer, Map<String, Integer> ports,
			Map<String, String> certificates, List<ConfigurableApplicationContext> contexts,
			List<AutoCloseable> servers) throws Exception {
		String key = "wt/" + peer;
		switch (peer) {
			case WebTransportScenario.RAW_QUIC -> {
				RawQuicServer server = new RawQuicServer(WebTransportLoad.IDLE_TIMEOUT);
				servers.add(server);
				ports.put(key, server.start());
				certificates.put(key, Base64.getEncoder().encodeToString(server.certificateSha256()));
				return server::connections;
			}
			case WebTransportScenario.STAMP -> {
				ConfigurableApplicationContext stamp = SpringApps.startStampWebTransport();
				contexts.add(stamp);
				ports.put(key, SpringApps.port(stamp, ListenerPorts.propertyName(StampProtocol.WEBTRANSPORT)));
				certificates.put(key,
						stamp.getEnvironment().getRequiredProperty(WebTransportListener.CERTIFICATE_HASH_PROPERTY));
				WebTransportListener listener = stamp.getBean(WebTransportListener.class);
				return () -> {
					WebTransportStats stats = listener.webTransportStats();
					return (stats != null) ? (int) stats.activeSessions() : -1;
				};
			}
			case WebTransportScenario.FLUPKE -> {
				FlupkeWebTransportEcho flupke = FlupkeWebTransportEcho.start(WebTransportScenario.ECHO_PATH);
				servers.add(flupke);
				ports.put(key, flupke.port());
				certificates.put(key, Base64.getEncoder().encodeToString(flupke.certificateSha256()));
				return flupke::openSessions;
			}
			default -> throw new IllegalArgumentException("Unknown WebTransport peer " + peer);
		}
	}

	/**
	 * With {@code -D}{@value #HISTOGRAM_DIRECTORY}{@code =
	 *
	<dir>
	 * }, writes the heap's class histogram ({@code jcmd GC.class_histogram}) next to each
	 * memory reading, as {@code histogram-<pid>-<n>.txt}: the difference between two says
	 * what each idle session holds.
	 */
	private static void writeHistogram() {
		String directory = System.getProperty(HISTOGRAM_DIRECTORY);
		if (directory == null) {
			return;
		}
		try {
			Object histogram = ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
			Path file = Path.of(directory)
				.resolve("histogram-" + ProcessHandle.current().pid() + "-" + (++histograms) + ".txt");
			Files.createDirectories(file.getParent());
			Files.writeString(file,
					"allocated=" + allocatedBytes() + " cpu="
							+ ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
								.getProcessCpuTime()
							+ "\n" + histogram);
		}
		catch (Exception ex) {
			System.err.println("No class histogram: " + ex);
		}
	}

	/** Bytes every live thread allocated so far. */
	private static long allocatedBytes() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long total = 0;
		for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
			total += Math.max(0, allocated);
		}
		return total;
	}

	/** Waits until the node's pattern subscription on Redis is in place. */
	private static void awaitReceivingRemote(StampTopics topics) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!topics.isReceivingRemote()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not subscribed to the cluster's topics after 30 s");
			}
			Thread.sleep(10);
		}
	}

	static long heapAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(150);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * Resident set size of this process, from {@code /proc/self/status}; -1 where there
	 * is no procfs.
	 */
	static long rss() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					String[] parts = line.substring(6).trim().split("\\s+");
					return Long.parseLong(parts[0]) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return -1;
	}

}
