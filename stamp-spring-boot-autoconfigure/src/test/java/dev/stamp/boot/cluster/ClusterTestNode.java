package dev.stamp.boot.cluster;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.listener.ListenerPorts;
import dev.stamp.boot.tcp.TcpAutoConfiguration;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.websocket.WebSocketAutoConfiguration;
import dev.stamp.boot.webtransport.WebTransportAutoConfiguration;

/**
 * One node of a test cluster: a whole application context of its own (Spring Data Redis,
 * a TCP listener on a free port and Stamp's cluster) in the test JVM, connected to the
 * test's {@link RedisServerProcess}. Heartbeat and node timeout are short so that expiry
 * is quick to observe.
 */
final class ClusterTestNode implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private ClusterTestNode(ConfigurableApplicationContext context) {
		this.context = context;
	}

	static ClusterTestNode start(RedisServerProcess redis, String nodeId, String... properties) {
		return start(redis, nodeId, new Class<?>[0], properties);
	}

	/**
	 * Starts a node with more configuration, for example routes or Actuator support.
	 * @param redis the Redis the node uses
	 * @param nodeId the node's id
	 * @param configurations further configuration classes of the node's context
	 * @param properties further properties, overriding the defaults
	 * @return the started node
	 */
	static ClusterTestNode start(RedisServerProcess redis, String nodeId, Class<?>[] configurations,
			String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.port(), "stamp.cluster.enabled=true",
				"stamp.cluster.node-id=" + nodeId, "stamp.cluster.heartbeat=200ms", "stamp.cluster.node-timeout=2s",
				"stamp.tcp.enabled=true", "stamp.tcp.host=127.0.0.1", "stamp.tcp.port=0",
				"stamp.websocket.host=127.0.0.1", "stamp.websocket.port=0", "stamp.webtransport.host=127.0.0.1",
				"stamp.webtransport.port=0", "spring.main.banner-mode=off", "logging.level.root=warn"));
		all.addAll(List.of(properties));
		return new ClusterTestNode(new SpringApplicationBuilder(Node.class).sources(configurations)
			.web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run());
	}

	StampTopics topics() {
		return this.context.getBean(StampTopics.class);
	}

	StampPresence presence() {
		return this.context.getBean(StampPresence.class);
	}

	StampCluster cluster() {
		return this.context.getBean(StampCluster.class);
	}

	Health health() {
		return this.context.getBean(ClusterHealthIndicator.class).health(true);
	}

	int port(StampProtocol protocol) {
		return bean(ListenerPorts.class).port(protocol);
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** Stops heartbeating without leaving the cluster, as a node that dies would. */
	void halt() {
		cluster().halt();
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, StampAutoConfiguration.class,
			TcpAutoConfiguration.class, WebSocketAutoConfiguration.class, WebTransportAutoConfiguration.class,
			ClusterAutoConfiguration.class })
	static class Node {

	}

}
