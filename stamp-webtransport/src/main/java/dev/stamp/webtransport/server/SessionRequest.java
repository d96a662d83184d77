package dev.stamp.webtransport.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.stamp.webtransport.protocol.Dialect;

/**
 * An extended CONNECT asking for a WebTransport session, as the {@link SessionAcceptor}
 * sees it.
 *
 * @param sessionId the would-be session id (the CONNECT stream id)
 * @param remoteAddress the peer's UDP address
 * @param path the path without query
 * @param query the query string or {@code null}
 * @param authority the {@code :authority}
 * @param origin the {@code origin} header or {@code null}
 * @param headers all request headers, names in lower case
 * @param dialect the peer's dialect (from its SETTINGS, or from the draft-02 CONNECT
 * header)
 */
public record SessionRequest(long sessionId, InetSocketAddress remoteAddress, String path, @Nullable String query,
		String authority, @Nullable String origin, Map<String, List<String>> headers, Dialect dialect) {

	/** The first value of a header, or {@code null}. */
	public @Nullable String header(String name) {
		List<String> values = this.headers.get(name.toLowerCase(java.util.Locale.ROOT));
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

}
