package dev.stamp.boot.middleware;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.stamp.boot.StampProtocol;

/**
 * What middleware sees of an incoming request, whatever its protocol.
 * <p>
 * For TCP there is no path and no header: only the protocol and the remote address.
 * Attributes set by middleware (for example the authenticated user) travel on to the
 * handler where the protocol has a place for them
 * ({@code WebSocketConnection.attributes()}, {@code WebTransportSession.attributes()}).
 */
public final class StampRequest {

	private final StampProtocol protocol;

	private final InetSocketAddress remoteAddress;

	private final @Nullable String path;

	private final Map<String, List<String>> headers;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	/**
	 * Creates the request middleware sees.
	 * @param protocol the protocol
	 * @param remoteAddress the client's address
	 * @param path the request path, or {@code null} for TCP
	 * @param headers the request headers with lower-case names; empty for TCP
	 */
	public StampRequest(StampProtocol protocol, InetSocketAddress remoteAddress, @Nullable String path,
			Map<String, List<String>> headers) {
		this.protocol = protocol;
		this.remoteAddress = remoteAddress;
		this.path = path;
		this.headers = headers;
	}

	/**
	 * A request from Netty HTTP headers (WebSocket handshakes and HTTP requests).
	 * @param protocol the protocol
	 * @param remoteAddress the client's address
	 * @param path the decoded path
	 * @param headers the headers
	 * @return the request
	 */
	public static StampRequest of(StampProtocol protocol, InetSocketAddress remoteAddress, @Nullable String path,
			io.netty.handler.codec.http.HttpHeaders headers) {
		Map<String, List<String>> byName = new java.util.LinkedHashMap<>();
		for (Map.Entry<String, String> header : headers) {
			byName
				.computeIfAbsent(header.getKey().toLowerCase(java.util.Locale.ROOT),
						(name) -> new java.util.ArrayList<>(1))
				.add(header.getValue());
		}
		return new StampRequest(protocol, remoteAddress, path, byName);
	}

	public StampProtocol protocol() {
		return this.protocol;
	}

	public InetSocketAddress remoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * The request path.
	 * @return the path, or {@code null} for TCP
	 */
	public @Nullable String path() {
		return this.path;
	}

	/**
	 * Headers by lower-case name.
	 * @return the headers
	 */
	public Map<String, List<String>> headers() {
		return this.headers;
	}

	/**
	 * The first value of a header.
	 * @param name the header name, in any case
	 * @return the first value, or {@code null}
	 */
	public @Nullable String header(String name) {
		List<String> values = this.headers.get(name.toLowerCase(java.util.Locale.ROOT));
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	/**
	 * The {@code Origin} header.
	 * @return the origin, or {@code null}
	 */
	public @Nullable String origin() {
		return header("origin");
	}

	/**
	 * Attributes middleware hands on to the handler.
	 * @return the mutable attributes
	 */
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	@Override
	public String toString() {
		return this.protocol.id() + " " + ((this.path != null) ? this.path + " " : "") + "from " + this.remoteAddress;
	}

}
