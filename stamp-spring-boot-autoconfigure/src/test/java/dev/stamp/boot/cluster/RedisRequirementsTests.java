package dev.stamp.boot.cluster;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link RedisRequirements} makes of {@code INFO server} and {@code INFO cluster}
 * replies as Redis writes them.
 */
class RedisRequirementsTests {

	private static final Properties STANDALONE = RedisRequirements.parse("# Cluster\r\ncluster_enabled:0\r\n");

	private static final Properties CLUSTER = RedisRequirements.parse("# Cluster\r\ncluster_enabled:1\r\n");

	@Test
	void parsesTheFieldsOfAnInfoReply() {
		Properties server = server("7.2.4");
		assertThat(server.getProperty("redis_version")).isEqualTo("7.2.4");
		assertThat(server.getProperty("redis_mode")).isEqualTo("standalone");
		assertThat(server.getProperty("executable")).isEqualTo("/usr/bin/redis-server");
		assertThat(server).doesNotContainKey("# Server");
	}

	@Test
	void redis6IsTooOldForHistory() {
		String violation = RedisRequirements.violation(server("6.2.14"), STANDALONE, true);
		assertThat(violation).contains("Redis 6.2.14", "7.0 or later", "stamp.cluster.history.*",
				"XSETID ... MAXDELETEDID");
	}

	@Test
	void redis6IsFineWithoutHistory() {
		assertThat(RedisRequirements.violation(server("6.2.14"), STANDALONE, false)).isNull();
	}

	@Test
	void redis7FitsHistory() {
		assertThat(RedisRequirements.violation(server("7.0.15"), STANDALONE, true)).isNull();
		assertThat(RedisRequirements.violation(server("7.2.4"), STANDALONE, true)).isNull();
		assertThat(RedisRequirements.violation(server("10.0.0"), STANDALONE, true)).isNull();
	}

	@Test
	void aRedisClusterNeverFits() {
		for (boolean history : new boolean[] { true, false }) {
			String violation = RedisRequirements.violation(server("7.2.4"), CLUSTER, history);
			assertThat(violation).contains("cluster_enabled:1", "CROSSSLOT", "stamp.cluster.enabled",
					"spring.data.redis.*");
		}
	}

	@Test
	void aRedisClusterIsNamedBeforeAnOldVersion() {
		assertThat(RedisRequirements.violation(server("6.2.14"), CLUSTER, true)).contains("cluster_enabled:1");
	}

	@Test
	void fieldsThatAreMissingOrUnreadableAreNotHeldAgainstRedis() {
		Properties empty = new Properties();
		assertThat(RedisRequirements.violation(empty, empty, true)).isNull();
		assertThat(RedisRequirements.violation(RedisRequirements.parse("# Server\r\nredis_mode:standalone\r\n"),
				RedisRequirements.parse("# Cluster\r\n"), true))
			.isNull();
		assertThat(RedisRequirements.violation(server("unstable"), STANDALONE, true)).isNull();
		assertThat(RedisRequirements.violation(server("99999999999.0.0"), STANDALONE, true)).isNull();
	}

	private static Properties server(String version) {
		return RedisRequirements
			.parse("# Server\r\n" + "redis_version:" + version + "\r\n" + "redis_git_sha1:00000000\r\n"
					+ "redis_git_dirty:0\r\n" + "redis_build_id:ae4d7c971a948f0\r\n" + "redis_mode:standalone\r\n"
					+ "os:Linux 6.1.0-28-amd64 x86_64\r\n" + "arch_bits:64\r\n" + "tcp_port:6379\r\n"
					+ "executable:/usr/bin/redis-server\r\n" + "config_file:/etc/redis/redis.conf\r\n");
	}

}
