package dev.stamp.boot.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns whatever a route handler returned into status, content type and body bytes.
 */
final class HttpResultEncoder {

	static final String TEXT = "text/plain; charset=UTF-8";

	static final String JSON = "application/json";

	static final String BINARY = "application/octet-stream";

	private final JsonWriter jsonWriter;

	HttpResultEncoder(JsonWriter jsonWriter) {
		this.jsonWriter = jsonWriter;
	}

	Encoded encode(Object result, String produces) throws Exception {
		if (result instanceof HttpResponse response) {
			Encoded body = encodeBody(response.body(), produces);
			return new Encoded(response.status(), response.headers(), body.contentType(), body.body());
		}
		return encodeBody(result, produces);
	}

	private Encoded encodeBody(Object body, String produces) throws Exception {
		if (body == null) {
			return new Encoded(200, Map.of(), null, new byte[0]);
		}
		if (body instanceof String text) {
			return new Encoded(200, Map.of(), contentType(produces, TEXT), text.getBytes(StandardCharsets.UTF_8));
		}
		if (body instanceof byte[] bytes) {
			return new Encoded(200, Map.of(), contentType(produces, BINARY), bytes);
		}
		if (this.jsonWriter == null) {
			throw new IllegalStateException("Handler returned " + body.getClass().getName()
					+ " but no JsonWriter is available: add Jackson (spring-boot-starter-jackson) or return a String");
		}
		return new Encoded(200, Map.of(), contentType(produces, JSON), this.jsonWriter.write(body));
	}

	private static String contentType(String produces, String fallback) {
		if (produces.isEmpty()) {
			return fallback;
		}
		// Text types without a charset would leave browsers guessing; Stamp always writes
		// UTF-8.
		if (produces.startsWith("text/") && !produces.contains("charset")) {
			return produces + "; charset=UTF-8";
		}
		return produces;
	}

	record Encoded(int status, Map<String, String> headers, String contentType, byte[] body) {
	}

}
