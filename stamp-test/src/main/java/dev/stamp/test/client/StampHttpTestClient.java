package dev.stamp.test.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends HTTP/1.1 requests to a Stamp HTTP listener with the JDK's {@link HttpClient}, for
 * tests; responses come back whole, with their status and headers as the listener wrote
 * them (no status is turned into an exception). <pre class="code">
 * HttpResponse&lt;String&gt; response = http.get("/api/data");
 * assertThat(response.statusCode()).isEqualTo(200);
 * </pre> For anything else, build a request on {@link #uri(String)} and
 * {@link #send(HttpRequest) send} it. A test that prefers Spring's {@code RestTestClient}
 * builds one on {@link #baseUrl()}.
 */
public final class StampHttpTestClient {

	private final StampListenerAddress address;

	private final Duration timeout;

	private final HttpClient httpClient;

	/**
	 * A client for a listener.
	 * @param address the listener
	 * @param timeout how long a connect or a whole exchange may take
	 */
	public StampHttpTestClient(StampListenerAddress address, Duration timeout) {
		this.address = address;
		this.timeout = timeout;
		this.httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
	}

	/**
	 * The listener this client sends to.
	 * @return the listener's address
	 */
	public StampListenerAddress address() {
		return this.address;
	}

	/**
	 * The listener's base URL, read when called.
	 * @return for example {@code http://127.0.0.1:54321}
	 */
	public String baseUrl() {
		return "http://" + this.address.authority();
	}

	/**
	 * The URI of a path on the listener.
	 * @param path the path, with its query if any, starting with {@code /}
	 * @return the URI
	 */
	public URI uri(String path) {
		return URI.create(baseUrl() + path);
	}

	/**
	 * Sends a {@code GET}.
	 * @param path the path, starting with {@code /}
	 * @return the response, its body decoded as UTF-8
	 */
	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET().build());
	}

	/**
	 * Sends a {@code POST} with a body.
	 * @param path the path, starting with {@code /}
	 * @param contentType the body's {@code Content-Type}
	 * @param body the body, encoded as UTF-8
	 * @return the response, its body decoded as UTF-8
	 */
	public HttpResponse<String> post(String path, String contentType, String body) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", contentType)
			.POST(BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build());
	}

	/**
	 * Sends any request, within the client's timeout unless the request has its own.
	 * @param request the request, usually built on {@link #uri(String)}
	 * @return the response, its body decoded as UTF-8
	 */
	public HttpResponse<String> send(HttpRequest request) {
		HttpRequest timed = request.timeout().isPresent() ? request
				: HttpRequest.newBuilder(request, (name, value) -> true).timeout(this.timeout).build();
		try {
			return this.httpClient.send(timed, BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No response to " + request.method() + " " + request.uri(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + request.uri(), ex);
		}
	}

	/**
	 * The JDK client the requests go through.
	 * @return the client
	 */
	public HttpClient httpClient() {
		return this.httpClient;
	}

}
