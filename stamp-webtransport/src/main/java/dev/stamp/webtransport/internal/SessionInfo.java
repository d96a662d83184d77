package dev.stamp.webtransport.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stamp.webtransport.protocol.Dialect;

/**
 * What the CONNECT request said about a session.
 *
 * @param remoteAddress the peer's UDP address
 * @param path the path without query
 * @param query the query or {@code null}
 * @param authority the {@code :authority}
 * @param origin the {@code origin} header or {@code null}
 * @param headers all headers, lower-case names
 * @param dialect the peer's dialect when the session was accepted
 */
public record SessionInfo(InetSocketAddress remoteAddress, String path, @Nullable String query, String authority,
		@Nullable String origin, Map<String, List<String>> headers, Dialect dialect) {
}
