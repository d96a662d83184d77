package dev.stamp.boot.http;

import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import org.jspecify.annotations.Nullable;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampProtocolParameter;
import dev.stamp.core.PathVariables;

/**
 * A complete HTTP request, body included, as a route handler receives it.
 *
 * @param method the request method
 * @param path the decoded path, without query
 * @param query the raw query string, without {@code '?'}; empty if there is none
 * @param queryParameters the decoded query parameters
 * @param headers the request headers (case-insensitive)
 * @param body the request body; empty if there is none
 * @param remoteAddress the client's address
 * @param pathVariables the route's path variables by name, in the route's order:
 * {@code id} for {@code /users/42} routed by {@code /users/{id}}; empty for exact paths
 * @param attributes what middleware attached to the request (for example the
 * authenticated user)
 */
@StampProtocolParameter(StampProtocol.HTTP)
public record HttpRequest(HttpMethod method, String path, String query, Map<String, List<String>> queryParameters,
		HttpHeaders headers, byte[] body, InetSocketAddress remoteAddress, Map<String, String> pathVariables,
		Map<String, Object> attributes) {

	/** The first value of a header, or {@code null}. */
	public @Nullable String header(String name) {
		return this.headers.get(name);
	}

	/**
	 * The value of one path variable.
	 * @param name the variable's name as declared in the route path
	 * @return the value, never {@code null}
	 * @throws IllegalArgumentException if the route has no variable of that name
	 */
	public String pathVariable(String name) {
		return PathVariables.require(this.pathVariables, name);
	}

	/** The first value of a query parameter, or {@code null}. */
	public @Nullable String queryParameter(String name) {
		List<String> values = this.queryParameters.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	/**
	 * The body as text, in the charset of the {@code Content-Type} (UTF-8 if it names
	 * none).
	 */
	public String bodyAsString() {
		String contentType = this.headers.get(HttpHeaderNames.CONTENT_TYPE);
		Charset charset = (contentType != null) ? HttpUtil.getCharset(contentType, StandardCharsets.UTF_8)
				: StandardCharsets.UTF_8;
		return new String(this.body, charset);
	}

}
