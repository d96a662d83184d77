package dev.stamp.boot.cluster;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampRoute;
import dev.stamp.boot.actuate.ClusterDescriptor;
import dev.stamp.boot.actuate.StampActuatorAutoConfiguration;
import dev.stamp.boot.actuate.StampEndpoint;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.tcp.TcpListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/stamp/cluster} over nodes of a real Redis: live nodes with their
 * connections and the aggregate, nodes that die or stop, and Redis going away and coming
 * back.
 */
class ClusterEndpointTests {

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);

	private final List<Socket> clients = new ArrayList<>();

	@AfterEach
	void closeClients() throws IOException {
		for (Socket client : this.clients) {
			client.close();
		}
	}

	@Test
	void listsTheLiveNodesWithTheAggregateOfTheirConnectionsAndTopics() throws IOException {
		try (ClusterTestNode alpha = node("sum-alpha");
				ClusterTestNode beta = node("sum-beta");
				ClusterTestNode gamma = node("sum-gamma")) {
			connect(alpha);
			connect(alpha);
			connect(beta);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> alpha.topics().isReceivingRemote() && beta.topics().isReceivingRemote()
						&& gamma.topics().isReceivingRemote());
			alpha.topics().publish("scores", "1-0");
			ClusterDescriptor cluster = awaitCluster(gamma, (described) -> described.nodes().size() == 3
					&& described.aggregate().protocols().get("tcp").activeConnections() == 3
					// Each node's counters are as old as its last heartbeat: wait
					// for the publisher's as well as the receivers'.
					&& described.aggregate().topics().published() == 1
					&& described.aggregate().topics().received() == 2);
			assertThat(cluster.nodeId()).isEqualTo("sum-gamma");
			assertThat(cluster.redis().reachable()).isTrue();
			assertThat(cluster.redis().reason()).isNull();
			assertThat(cluster.nodes()).extracting(ClusterDescriptor.Node::id)
				.containsExactly("sum-alpha", "sum-beta", "sum-gamma");
			assertThat(cluster.nodes()).extracting((node) -> node.listeners().get("tcp").activeConnections())
				.containsExactly(2, 1, 0);
			ClusterDescriptor.Node first = cluster.nodes().get(0);
			assertThat(first.listeners().get("tcp").port()).isEqualTo(alpha.bean(TcpListener.class).port());
			assertThat(first.listeners().get("tcp").counters()).containsKey("middleware.refused");
			assertThat(first.heartbeatAgeMillis()).isBetween(0L, NODE_TIMEOUT.toMillis());
			assertThat(first.startedAt()).isNotNull();
			ClusterDescriptor.ProtocolTotals tcp = cluster.aggregate().protocols().get("tcp");
			assertThat(tcp.listeners()).isEqualTo(3);
			assertThat(tcp.totalConnections()).isEqualTo(3);
			assertThat(tcp.refusedConnections()).isZero();
			assertThat(cluster.aggregate().nodes()).isEqualTo(3);
			assertThat(cluster.aggregate().topics()).isEqualTo(new ClusterDescriptor.Topics(1, 2, 0));
			String json = JsonMapper.builder().build().writeValueAsString(cluster);
			assertThat(json).contains("\"nodeId\":\"sum-gamma\"", "\"reachable\":true", "\"heartbeatAgeMillis\":",
					"\"startedAt\":\"20", "\"activeConnections\":3");
		}
	}

	@Test
	void aStoppedNodeLeavesAtOnceAndAHaltedOneDropsOutAfterTheNodeTimeout() {
		try (ClusterTestNode alpha = node("gone-alpha");
				ClusterTestNode beta = node("gone-beta");
				ClusterTestNode gamma = node("gone-gamma")) {
			awaitCluster(alpha, (described) -> described.nodes().size() == 3);
			beta.close();
			assertThat(nodeIds(describe(alpha))).containsExactly("gone-alpha", "gone-gamma");
			gamma.halt();
			assertThat(nodeIds(describe(alpha))).containsExactly("gone-alpha", "gone-gamma");
			ClusterDescriptor withoutGamma = awaitCluster(alpha, (described) -> described.nodes().size() == 1);
			assertThat(nodeIds(withoutGamma)).containsExactly("gone-alpha");
			assertThat(withoutGamma.aggregate().protocols().get("tcp").listeners()).isEqualTo(1);
		}
	}

	@Test
	void answersPromptlyWithItsOwnViewWhileRedisIsDownAndListsTheNodesAgainWhenItIsBack() throws IOException {
		try (ClusterTestNode alpha = node("down-alpha"); ClusterTestNode beta = node("down-beta")) {
			connect(alpha);
			awaitCluster(alpha, (described) -> described.nodes().size() == 2
					&& described.aggregate().protocols().get("tcp").activeConnections() == 1);
			redis.stop();
			try {
				long start = System.nanoTime();
				ClusterDescriptor down = describe(alpha);
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				assertThat(took).isLessThan(Duration.ofSeconds(3));
				assertThat(down.redis().reachable()).isFalse();
				assertThat(down.redis().reason()).isNotBlank();
				assertThat(nodeIds(down)).containsExactly("down-alpha");
				assertThat(down.aggregate().protocols().get("tcp").activeConnections()).isEqualTo(1);
				Health health = alpha.health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("reason")).asString().isNotBlank();
			}
			finally {
				redis.start();
			}
			ClusterDescriptor back = awaitCluster(alpha,
					(described) -> described.redis().reachable() && described.nodes().size() == 2);
			assertThat(nodeIds(back)).containsExactly("down-alpha", "down-beta");
			await().atMost(Duration.ofSeconds(30)).until(() -> alpha.health().getStatus().equals(Status.UP));
		}
	}

	@Test
	void listsEveryListenerOfANodeByNameAndSumsThemByProtocol() throws IOException {
		try (ClusterTestNode alpha = node("many-alpha", "stamp.tcp.additional-listeners[0].host=127.0.0.1",
				"stamp.tcp.additional-listeners[0].port=0")) {
			connect(alpha);
			ClusterDescriptor cluster = awaitCluster(alpha,
					(described) -> described.nodes().size() == 1
							&& described.nodes().get(0).listeners().containsKey("tcp-0")
							&& described.aggregate().protocols().get("tcp").activeConnections() == 1);
			ClusterDescriptor.Node node = cluster.nodes().get(0);
			assertThat(node.listeners()).containsKeys("tcp", "tcp-0");
			assertThat(node.listeners().get("tcp-0").protocol()).isEqualTo("tcp");
			assertThat(node.listeners().get("tcp-0").port()).isNotEqualTo(node.listeners().get("tcp").port());
			assertThat(cluster.aggregate().protocols().get("tcp").listeners()).isEqualTo(2);
		}
	}

	private static ClusterTestNode node(String nodeId, String... properties) {
		// The tests close their nodes with clients still connected, whose blocking echo
		// handlers would hold each node's shutdown for the whole grace period.
		List<String> all = new ArrayList<>(List.of("stamp.cluster.node-timeout=" + NODE_TIMEOUT.toMillis() + "ms",
				"management.endpoints.web.exposure.include=stamp", "stamp.shutdown.grace-period=200ms"));
		all.addAll(List.of(properties));
		return ClusterTestNode.start(redis, nodeId, new Class<?>[] { EndpointNode.class }, all.toArray(String[]::new));
	}

	/** Opens a TCP connection and waits until the node's handler echoes a byte on it. */
	private void connect(ClusterTestNode node) throws IOException {
		Socket client = new Socket("127.0.0.1", node.bean(TcpListener.class).port());
		this.clients.add(client);
		client.setSoTimeout(5_000);
		client.getOutputStream().write('x');
		assertThat(client.getInputStream().read()).isEqualTo('x');
	}

	private static ClusterDescriptor awaitCluster(ClusterTestNode node, Predicate<ClusterDescriptor> condition) {
		return await().atMost(Duration.ofSeconds(60)).until(() -> describe(node), condition);
	}

	private static ClusterDescriptor describe(ClusterTestNode node) {
		return (ClusterDescriptor) node.bean(StampEndpoint.class).part("cluster", null);
	}

	private static List<String> nodeIds(ClusterDescriptor cluster) {
		return cluster.nodes().stream().map(ClusterDescriptor.Node::id).toList();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(StampActuatorAutoConfiguration.class)
	static class EndpointNode {

		@StampRoute
		void echo(TcpConnection connection) {
			byte[] data = connection.read(64);
			while (data.length > 0) {
				connection.send(data);
				data = connection.read(64);
			}
		}

	}

}
