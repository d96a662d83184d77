package dev.stamp.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.stamp.boot.cluster.RedisServerProcess;
import dev.stamp.sample.browser.Browser;
import dev.stamp.sample.browser.BrowserKind;
import dev.stamp.sample.browser.BrowserPage;
import dev.stamp.sample.browser.FailureScreenshots;
import dev.stamp.sample.browser.InEachBrowser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application as a two-node cluster, as {@code scripts/run-cluster} runs it: a
 * real {@code redis-server} and two separate JVMs with the {@code cluster} profile, real
 * browsers on the nodes' pages.
 * <p>
 * Node A and node B live for the whole class; a test that needs a node to die starts a
 * node of its own. Every test leaves both nodes and Redis as it found them; the one that
 * stops Redis runs last all the same, because after Redis is back each node counts rate
 * limits on its own until its next probe finds Redis (at most a second).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleAppClusterTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Smaller than the cluster profile's, so that the test reaches it; larger than every
	 * other test's requests from 127.0.0.1 in one window together.
	 */
	private static final int MAX_REQUESTS = 100;

	private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private static final JsonMapper json = JsonMapper.shared();

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	private static SampleAppProcess nodeA;

	private static SampleAppProcess nodeB;

	/** The node that {@link #nodeThatIsKilledDropsOutOfTheClusterAndChatGoesOn} kills. */
	private static SampleAppProcess nodeC;

	private final List<Browser> browsers = new ArrayList<>();

	@RegisterExtension
	final FailureScreenshots failureScreenshots = new FailureScreenshots(
			() -> this.browsers.isEmpty() ? null : this.browsers.get(this.browsers.size() - 1));

	@BeforeAll
	static void startNodes() throws Exception {
		// One after the other: side by side they start no sooner on two busy cores, and
		// each may then miss SampleAppProcess' start-up limit.
		nodeA = SampleAppProcess.start(clusterNode("node-a"));
		nodeB = SampleAppProcess.start(clusterNode("node-b"));
		nodeC = SampleAppProcess.start(clusterNode("node-c"));
	}

	@AfterAll
	static void stopNodes() throws Exception {
		for (SampleAppProcess node : new SampleAppProcess[] { nodeA, nodeB, nodeC }) {
			if (node != null) {
				node.close();
			}
		}
	}

	@AfterEach
	void closeBrowsers() {
		this.browsers.forEach(Browser::close);
		this.browsers.clear();
	}

	static List<String> clusterNode(String nodeId) {
		return List.of("--spring.profiles.active=cluster", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port(), "--stamp.cluster.node-id=" + nodeId,
				"--stamp.cluster.heartbeat=200ms", "--stamp.cluster.node-timeout=" + NODE_TIMEOUT.toSeconds() + "s",
				"--stamp.middleware.rate-limit.max-requests=" + MAX_REQUESTS,
				// A node whose count Redis does not give within the cluster timeout
				// counts on its own (the documented fallback): on a busy machine 100ms is
				// not enough.
				"--stamp.middleware.rate-limit.cluster-timeout=5s");
	}

	@Test
	@Order(1)
	void chatCrossesNodesBetweenAChromiumPageAndAFirefoxPage() {
		BrowserPage onA = openChatPage(launch(BrowserKind.CHROMIUM), nodeA);
		BrowserPage onB = openChatPage(launch(BrowserKind.FIREFOX), nodeB);
		assertThat(onA.text("#node")).isEqualTo("node node-a");
		assertThat(onB.text("#node")).isEqualTo("node node-b");

		send(onA, "Hello from node A");
		awaitMessage(onB, "User: Hello from node A");
		send(onB, "Hello back from node B");
		awaitMessage(onA, "User: Hello back from node B");
		// The sender sees its own message too, as on one node.
		awaitMessage(onA, "User: Hello from node A");
		awaitMessage(onB, "User: Hello back from node B");
	}

	/**
	 * The page's live panel on node B follows a topic over WebTransport; what node A
	 * publishes arrives on the stream node B opened, in the order node A published it.
	 */
	@InEachBrowser
	@Order(2)
	void topicPublishedOnNodeAArrivesInOrderInTheLivePanelOfAPageOnNodeB(BrowserKind browserKind) {
		BrowserPage onB = launch(browserKind).openPage();
		onB.navigate(pageUrl(nodeB));
		String topic = "cluster-" + browserKind.id();
		onB.clear("#live-topic");
		onB.type("#live-topic", topic);
		onB.click("#live-follow");
		// The state turns "open" with the stream's first frame: node B has joined the
		// session to the topic, so every later publish reaches it.
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(onB.attribute("#live-status", "data-state")).isEqualTo("open"));

		List<String> published = IntStream.rangeClosed(1, 5).mapToObj((i) -> "update " + i + " from node A").toList();
		for (String message : published) {
			HttpResponse<String> response = post(nodeA, "/api/topics/" + topic, message);
			assertThat(response.statusCode()).isEqualTo(200);
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(lines(onB.text("#live-log"))).isEqualTo(published));
	}

	/**
	 * Both nodes count on Redis, so a client gets the limit from the cluster as a whole.
	 * The requests come from 127.0.0.2, an address of their own (the limit counts per
	 * client address), so that the other tests' requests from 127.0.0.1 do not count.
	 */
	@Test
	@Order(3)
	void rateLimitIsSharedByBothNodes() throws Exception {
		InetAddress client = InetAddress.getByName("127.0.0.2");
		for (int i = 0; i < MAX_REQUESTS; i++) {
			SampleAppProcess node = (i % 2 == 0) ? nodeA : nodeB;
			assertThat(statusOfRequestFrom(client, node, "/api/data")).as("request %d", i + 1).isEqualTo(200);
		}
		assertThat(statusOfRequestFrom(client, nodeA, "/api/data")).as(rateLimitLog(nodeA)).isEqualTo(429);
		assertThat(statusOfRequestFrom(client, nodeB, "/api/data")).as(rateLimitLog(nodeB)).isEqualTo(429);
		// Another client still has its own allowance.
		assertThat(statusOfRequestFrom(InetAddress.getByName("127.0.0.3"), nodeB, "/api/data")).isEqualTo(200);
	}

	/**
	 * A third node, node C, with a chat page of its own, is killed with SIGKILL, so that
	 * nothing of it says goodbye: node A stops listing it within the node timeout, and
	 * chat between node A and node B goes on. Node C serves no other test.
	 */
	@Test
	@Order(4)
	void nodeThatIsKilledDropsOutOfTheClusterAndChatGoesOn() throws Exception {
		await().atMost(WAIT).until(() -> clusterNodeIds(nodeA).contains("node-c"));
		Browser browser = launch(BrowserKind.CHROMIUM);
		BrowserPage onA = openChatPage(browser, nodeA);
		BrowserPage onB = openChatPage(browser, nodeB);
		BrowserPage onC = openChatPage(browser, nodeC);
		send(onC, "Node C is alive");
		awaitMessage(onA, "User: Node C is alive");

		nodeC.kill();
		// Its entry expires node-timeout after its last heartbeat; the margin is for
		// polling, not for the cluster.
		await().atMost(NODE_TIMEOUT.plusSeconds(2))
			.untilAsserted(() -> assertThat(clusterNodeIds(nodeA)).containsExactlyInAnyOrder("node-a", "node-b"));

		send(onA, "Still here after node C died");
		awaitMessage(onA, "User: Still here after node C died");
		awaitMessage(onB, "User: Still here after node C died");
	}

	/**
	 * Redis goes away under two running nodes and comes back on the same port: meanwhile
	 * node A's health says why its cluster is down and its own pages still chat; once
	 * Redis answers again, chat crosses the nodes again by itself.
	 */
	@Test
	@Order(5)
	void chatStaysLocalWhileRedisIsDownAndCrossesNodesAgainOnceItIsBack() {
		Browser browser = launch(BrowserKind.CHROMIUM);
		BrowserPage firstOnA = openChatPage(browser, nodeA);
		BrowserPage secondOnA = openChatPage(browser, nodeA);
		BrowserPage onB = openChatPage(browser, nodeB);
		redis.stop();
		try {
			await().atMost(WAIT).untilAsserted(() -> {
				JsonNode cluster = clusterHealth(nodeA);
				assertThat(cluster.path("status").asString()).isEqualTo("DOWN");
				assertThat(cluster.path("details").path("reason").asString()).isNotBlank();
			});
			send(firstOnA, "Redis is down, node A still chats");
			awaitMessage(secondOnA, "User: Redis is down, node A still chats");
		}
		finally {
			redis.start();
		}
		for (SampleAppProcess node : List.of(nodeA, nodeB)) {
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(clusterHealth(node).path("status").asString()).isEqualTo("UP"));
		}
		send(secondOnA, "Redis is back");
		awaitMessage(onB, "User: Redis is back");
		send(onB, "Node B hears node A again");
		awaitMessage(firstOnA, "User: Node B hears node A again");
	}

	private Browser launch(BrowserKind kind) {
		Browser browser = kind.launch(1024, 1500);
		this.browsers.add(browser);
		return browser;
	}

	private static BrowserPage openChatPage(Browser browser, SampleAppProcess node) {
		BrowserPage page = browser.openPage();
		page.navigate(pageUrl(node));
		await().atMost(WAIT).untilAsserted(() -> assertThat(page.attribute("#status", "data-state")).isEqualTo("open"));
		return page;
	}

	private static String pageUrl(SampleAppProcess node) {
		return "http://127.0.0.1:" + node.port("http") + "/";
	}

	private static void send(BrowserPage page, String text) {
		page.type("#message", text);
		page.click("#send");
	}

	private static void awaitMessage(BrowserPage page, String text) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(page.text("#messages")).contains(text));
	}

	/** What a node logged about its rate limit, such as counting on its own. */
	private static String rateLimitLog(SampleAppProcess node) {
		return lines(node.output()).stream().filter((line) -> line.contains("RateLimit")).toList().toString();
	}

	private static List<String> lines(String text) {
		return Arrays.stream(text.split("\n")).map(String::strip).filter((line) -> !line.isEmpty()).toList();
	}

	private static List<String> clusterNodeIds(SampleAppProcess node) throws IOException, InterruptedException {
		JsonNode cluster = json.readTree(get(node, "/actuator/stamp/cluster").body());
		return StreamSupport.stream(cluster.path("nodes").spliterator(), false)
			.map((entry) -> entry.path("id").asString())
			.toList();
	}

	private static JsonNode clusterHealth(SampleAppProcess node) throws IOException, InterruptedException {
		// 503 while down: the body says why either way.
		return json.readTree(get(node, "/actuator/health/stampCluster").body());
	}

	private static HttpResponse<String> get(SampleAppProcess node, String path)
			throws IOException, InterruptedException {
		URI uri = URI.create("http://127.0.0.1:" + node.port("actuator") + path);
		return http.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(SampleAppProcess node, String path, String body) {
		URI uri = URI.create("http://127.0.0.1:" + node.port("http") + path);
		try {
			return http.send(
					HttpRequest.newBuilder(uri).timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One HTTP/1.1 request from a given local address (Java 17's {@link HttpClient}
	 * cannot choose it), answered with its status code.
	 */
	private static int statusOfRequestFrom(InetAddress client, SampleAppProcess node, String path) throws IOException {
		try (Socket socket = new Socket()) {
			socket.setSoTimeout((int) WAIT.toMillis());
			socket.bind(new InetSocketAddress(client, 0));
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.port("http")));
			String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			String statusLine = in.readLine();
			assertThat(statusLine).startsWith("HTTP/1.1 ");
			return Integer.parseInt(statusLine.split(" ")[1]);
		}
	}

}
