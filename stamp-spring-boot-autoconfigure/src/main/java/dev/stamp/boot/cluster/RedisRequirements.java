package dev.stamp.boot.cluster;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * What Stamp's cluster needs of Redis, decided on its {@code INFO server} and
 * {@code INFO cluster}: a standalone Redis or one managed by Sentinel, since the scripts
 * touch several keys in one call, which a sharded Redis Cluster refuses
 * ({@code CROSSSLOT}); and with history ({@code stamp.cluster.history.*}) Redis 7.0 or
 * later, for {@code XSETID ... MAXDELETEDID}. A field that {@code INFO} does not report
 * is not held against Redis: only what it says it is counts.
 */
final class RedisRequirements {

	/** The first Redis version whose {@code XSETID} takes {@code MAXDELETEDID}. */
	static final int HISTORY_MAJOR = 7;

	private RedisRequirements() {
	}

	/**
	 * Parses the text of an {@code INFO} reply, as Spring Data Redis does: one
	 * {@code field:value} a line, {@code #} section headers ignored.
	 * @param info the reply's text
	 * @return its fields
	 */
	static Properties parse(String info) {
		Properties fields = new Properties();
		try {
			fields.load(new StringReader(info));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return fields;
	}

	/**
	 * Why this Redis does not fit Stamp's cluster.
	 * @param server the fields of {@code INFO server}
	 * @param cluster the fields of {@code INFO cluster}
	 * @param history whether topics keep history ({@code stamp.cluster.history.size}
	 * above 0)
	 * @return the requirement Redis misses, with what to do about it, or {@code null}
	 * when it fits
	 */
	static @Nullable String violation(Properties server, Properties cluster, boolean history) {
		if ("1".equals(trimmed(cluster.getProperty("cluster_enabled")))) {
			return "Redis runs as a Redis Cluster (cluster_enabled:1), but Stamp's cluster (stamp.cluster.enabled)"
					+ " needs a standalone Redis or one managed by Sentinel: its scripts touch several keys in one"
					+ " call, which a sharded Redis Cluster refuses (CROSSSLOT); point spring.data.redis.* at such a"
					+ " Redis";
		}
		String version = trimmed(server.getProperty("redis_version"));
		if (history && version != null && isBefore(version, HISTORY_MAJOR)) {
			return "Redis " + version + " is too old for topic history (stamp.cluster.history.*), which needs Redis "
					+ HISTORY_MAJOR + ".0 or later (XSETID ... MAXDELETEDID): upgrade Redis, or set"
					+ " stamp.cluster.history.size and stamp.cluster.history.ttl to 0";
		}
		return null;
	}

	/**
	 * Whether a version such as {@code 6.2.14} is before the given major version; a
	 * version that does not start with a number is not.
	 * @param version the version Redis reports
	 * @param major the major version needed
	 * @return whether the version is known to be older
	 */
	private static boolean isBefore(String version, int major) {
		int end = 0;
		while (end < version.length() && Character.isDigit(version.charAt(end))) {
			end++;
		}
		if (end == 0 || end > 9) {
			return false;
		}
		return Integer.parseInt(version, 0, end, 10) < major;
	}

	private static @Nullable String trimmed(@Nullable String value) {
		return (value != null) ? value.trim() : null;
	}

}
