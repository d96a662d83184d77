package dev.stamp.boot.http;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A response with a status, headers and a body, for handlers that need more than a 200
 * with a body. The body may be a {@code String}, a {@code byte[]}, any other object
 * (written as JSON), or {@code null}. <pre class="code">
 * return HttpResponse.status(201).header("Location", "/items/7").body(item);
 * </pre>
 *
 * @param status the status code
 * @param headers headers to send, in order
 * @param body the body, or {@code null} for none
 */
public record HttpResponse(int status, Map<String, String> headers, @Nullable Object body) {

	public HttpResponse {
		if (status < 100 || status > 599) {
			throw new IllegalArgumentException("HTTP status must be from 100 to 599, was " + status);
		}
		headers = Map.copyOf(headers);
	}

	/** A 200 response with a body. */
	public static HttpResponse ok(Object body) {
		return new HttpResponse(200, Map.of(), body);
	}

	/** Starts a response with a status; add headers and a body with {@link Builder}. */
	public static Builder status(int status) {
		return new Builder(status);
	}

	/** Builds an {@link HttpResponse}. */
	public static final class Builder {

		private final int status;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private Builder(int status) {
			this.status = status;
		}

		/**
		 * Adds a header.
		 * @param name the header's name
		 * @param value the header's value
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Finishes the response with a body.
		 * @param body a {@code String}, a {@code byte[]}, an object written as JSON, or
		 * {@code null}
		 * @return the response
		 */
		public HttpResponse body(Object body) {
			return new HttpResponse(this.status, this.headers, body);
		}

		/**
		 * Finishes the response without a body.
		 * @return the response
		 */
		public HttpResponse build() {
			return body(null);
		}

	}

}
