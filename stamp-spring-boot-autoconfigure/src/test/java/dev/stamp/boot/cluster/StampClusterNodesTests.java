package dev.stamp.boot.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.stamp.boot.tcp.TcpListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live nodes and presence across nodes: a node that stops leaves at once, one that dies
 * drops out, with its members, after the node timeout.
 */
class StampClusterNodesTests {

	@RegisterExtension
	static final RedisServerProcess redis = new RedisServerProcess();

	@Test
	void twoLiveNodesWithOneIdAreBothDownWithTheReason() {
		try (ClusterTestNode first = ClusterTestNode.start(redis, "twin");
				ClusterTestNode second = ClusterTestNode.start(redis, "twin")) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> first.cluster().duplicateNodeId() != null && second.cluster().duplicateNodeId() != null);
			for (ClusterTestNode node : List.of(first, second)) {
				Health health = node.health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("reason")).asString()
					.isEqualTo("another live node uses stamp.cluster.node-id 'twin'");
			}
		}
	}

	@Test
	void aNodeThatRestartsUnderItsIdAfterDyingIsNotTakenForATwin() {
		ClusterTestNode dead = ClusterTestNode.start(redis, "phoenix");
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> dead.cluster().heartbeatFailure() == null);
			dead.halt();
			// Its entry lives on for the node timeout: the new start replaces it once.
			try (ClusterTestNode reborn = ClusterTestNode.start(redis, "phoenix")) {
				// Right after the write that replaced the old entry: a twin would show
				// for the whole node timeout.
				await().atMost(Duration.ofSeconds(10)).until(() -> reborn.cluster().heartbeatFailure() == null);
				assertThat(reborn.cluster().duplicateNodeId()).isNull();
				await().atMost(Duration.ofSeconds(10)).until(() -> reborn.health().getStatus().equals(Status.UP));
			}
		}
		finally {
			dead.close();
		}
	}

	@Test
	void nodesAreListedWithTheirListenersUntilTheyStop() {
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "nodes-alpha")) {
			try (ClusterTestNode beta = ClusterTestNode.start(redis, "nodes-beta")) {
				int port = beta.bean(TcpListener.class).port();
				// The first heartbeat may precede the listener's start: entries follow
				// the latest one.
				await().atMost(Duration.ofSeconds(10))
					.until(() -> listed(alpha, "nodes-beta").map((node) -> node.listeners().get(0).port() == port)
						.orElse(false));
				ClusterNode listed = listed(alpha, "nodes-beta").orElseThrow();
				assertThat(listed.listeners()).singleElement().satisfies((listener) -> {
					assertThat(listener.protocol()).isEqualTo("tcp");
					assertThat(listener.host()).isEqualTo("127.0.0.1");
				});
				assertThat(listed.startedAt()).isBeforeOrEqualTo(listed.heartbeatAt());
				assertThat(nodeIds(alpha)).containsExactly("nodes-alpha", "nodes-beta");
			}
			assertThat(nodeIds(alpha)).containsExactly("nodes-alpha");
		}
	}

	@Test
	void membersOfANodeThatStopsLeaveAtOnce() {
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "leave-alpha")) {
			try (ClusterTestNode beta = ClusterTestNode.start(redis, "leave-beta")) {
				alpha.presence().join("lobby", "ann");
				beta.presence().join("lobby", "bob");
				beta.presence().join("lobby", "cid");
				await().atMost(Duration.ofSeconds(10)).until(() -> presence(alpha, "lobby").size() == 3);
				assertThat(presence(alpha, "lobby")).containsExactly(new PresenceMember("ann", "leave-alpha"),
						new PresenceMember("bob", "leave-beta"), new PresenceMember("cid", "leave-beta"));
				beta.presence().leave("lobby", "cid");
				await().atMost(Duration.ofSeconds(10)).until(() -> presence(alpha, "lobby").size() == 2);
			}
			assertThat(presence(alpha, "lobby")).containsExactly(new PresenceMember("ann", "leave-alpha"));
		}
	}

	@Test
	void aNodeThatDiesDropsOutWithItsMembersAfterTheNodeTimeout() {
		try (ClusterTestNode alpha = ClusterTestNode.start(redis, "dies-alpha");
				ClusterTestNode beta = ClusterTestNode.start(redis, "dies-beta")) {
			beta.presence().join("room", "dan");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> presence(alpha, "room").contains(new PresenceMember("dan", "dies-beta")));
			beta.halt();
			assertThat(nodeIds(alpha)).contains("dies-beta");
			await().atMost(Duration.ofSeconds(15))
				.until(() -> !nodeIds(alpha).contains("dies-beta") && presence(alpha, "room").isEmpty());
			assertThat(nodeIds(alpha)).containsExactly("dies-alpha");
		}
	}

	private static Optional<ClusterNode> listed(ClusterTestNode node, String id) {
		return node.cluster().nodes().block().stream().filter((listed) -> listed.id().equals(id)).findFirst();
	}

	private static List<String> nodeIds(ClusterTestNode node) {
		return node.cluster().nodes().block().stream().map(ClusterNode::id).toList();
	}

	private static List<PresenceMember> presence(ClusterTestNode node, String topic) {
		return node.presence().presence(topic).block();
	}

}
