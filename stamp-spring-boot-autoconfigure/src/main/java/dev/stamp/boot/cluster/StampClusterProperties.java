package dev.stamp.boot.cluster;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Stamp's cluster, bound from {@code stamp.cluster.*}. The connection to
 * Redis is the application's own ({@code spring.data.redis.*}); these properties only say
 * how Stamp uses it.
 */
@ConfigurationProperties("stamp.cluster")
public class StampClusterProperties {

	/**
	 * Whether this node joins the cluster through Redis; without it every topic stays in
	 * this process.
	 */
	private boolean enabled;

	/**
	 * Identity of this node in the cluster, unique among live nodes; defaults to the host
	 * name and the process id. Several nodes in one JVM need their own.
	 */
	private String nodeId;

	/** How often this node refreshes its entry, listeners and presence in Redis. */
	private Duration heartbeat = Duration.ofSeconds(2);

	/**
	 * How long a node that stopped heartbeating stays listed, and its presence counted,
	 * before Redis forgets it.
	 */
	private Duration nodeTimeout = Duration.ofSeconds(10);

	/** Prefix of every key and channel Stamp uses in Redis. */
	private String keyPrefix = "stamp:";

	/**
	 * Publishes waiting for Redis at most; a publish beyond them is counted as dropped
	 * for the other nodes (local subscribers still get it), so a slow or unreachable
	 * Redis never blocks a publisher.
	 */
	private int publishQueueSize = 1024;

	/**
	 * Queued publishes sent to Redis in one round trip at most (one script), one batch in
	 * flight at a time so that the other nodes see a publisher's order; 1 sends them one
	 * by one.
	 */
	private int publishBatchSize = 256;

	private final History history = new History();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getNodeId() {
		return this.nodeId;
	}

	public void setNodeId(String nodeId) {
		this.nodeId = nodeId;
	}

	/**
	 * The configured node id or the default: host name and process id.
	 * @return the node id to use
	 */
	public String resolveNodeId() {
		if (this.nodeId != null && !this.nodeId.isBlank()) {
			return this.nodeId;
		}
		return hostName() + "-" + ProcessHandle.current().pid();
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			// The JVM's name is host-qualified too: "pid@host".
			String name = ManagementFactory.getRuntimeMXBean().getName();
			return name.substring(name.indexOf('@') + 1);
		}
	}

	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	public void setHeartbeat(Duration heartbeat) {
		this.heartbeat = heartbeat;
	}

	public Duration getNodeTimeout() {
		return this.nodeTimeout;
	}

	public void setNodeTimeout(Duration nodeTimeout) {
		this.nodeTimeout = nodeTimeout;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public int getPublishQueueSize() {
		return this.publishQueueSize;
	}

	public void setPublishQueueSize(int publishQueueSize) {
		this.publishQueueSize = publishQueueSize;
	}

	public int getPublishBatchSize() {
		return this.publishBatchSize;
	}

	public void setPublishBatchSize(int publishBatchSize) {
		this.publishBatchSize = publishBatchSize;
	}

	public History getHistory() {
		return this.history;
	}

	/**
	 * Per-topic history on Redis Streams, from which a subscriber that comes back with
	 * the offset of its last message recovers what it missed. Both set, or both 0 for
	 * none.
	 */
	public static class History {

		/**
		 * Latest messages kept per topic (the stream's MAXLEN); 0 keeps no history, so
		 * messages carry no offset.
		 */
		private int size;

		/**
		 * How long a topic's history outlives its latest message; 0 keeps no history.
		 */
		private Duration ttl = Duration.ZERO;

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			this.size = size;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

}
