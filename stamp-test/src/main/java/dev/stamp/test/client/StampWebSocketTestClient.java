package dev.stamp.test.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens WebSocket sessions to a Stamp WebSocket listener with the JDK's
 * {@link WebSocket}, for tests. <pre class="code">
 * try (StampWebSocketTestSession session = webSocket.connect("/echo")) {
 *     session.send("Hello");
 *     assertThat(session.nextText()).isEqualTo("Echo: Hello");
 * }
 * </pre>
 */
public final class StampWebSocketTestClient {

	private final StampListenerAddress address;

	private final Duration timeout;

	private final HttpClient httpClient;

	/**
	 * A client for a listener.
	 * @param address the listener
	 * @param timeout how long a handshake, a send or a wait for a message may take
	 */
	public StampWebSocketTestClient(StampListenerAddress address, Duration timeout) {
		this.address = address;
		this.timeout = timeout;
		this.httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
	}

	/**
	 * The listener this client connects to.
	 * @return the listener's address
	 */
	public StampListenerAddress address() {
		return this.address;
	}

	/**
	 * The {@code ws://} URI of a path on the listener.
	 * @param path the path, with its query if any, starting with {@code /}
	 * @return the URI
	 */
	public URI uri(String path) {
		return URI.create("ws://" + this.address.authority() + path);
	}

	/**
	 * Opens a session.
	 * @param path the path, starting with {@code /}
	 * @return the open session; close it when done
	 * @throws WebSocketHandshakeException if the server refused the handshake
	 */
	public StampWebSocketTestSession connect(String path) throws WebSocketHandshakeException {
		return connect(path, Map.of());
	}

	/**
	 * Opens a session with extra handshake headers (for example {@code Origin}).
	 * @param path the path, starting with {@code /}
	 * @param headers the headers
	 * @return the open session; close it when done
	 * @throws WebSocketHandshakeException if the server refused the handshake (its
	 * response has the status)
	 */
	public StampWebSocketTestSession connect(String path, Map<String, String> headers)
			throws WebSocketHandshakeException {
		StampWebSocketTestSession session = new StampWebSocketTestSession(this.timeout);
		WebSocket.Builder builder = this.httpClient.newWebSocketBuilder().connectTimeout(this.timeout);
		headers.forEach(builder::header);
		try {
			session.attach(builder.buildAsync(uri(path), session.listener())
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS));
			return session;
		}
		catch (ExecutionException | CompletionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException refused) {
				throw refused;
			}
			throw new IllegalStateException("Could not open a WebSocket to " + uri(path), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("No WebSocket handshake with " + uri(path) + " within " + this.timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while opening a WebSocket to " + uri(path), ex);
		}
	}

	/**
	 * The HTTP status the server refuses a handshake with.
	 * @param path the path, starting with {@code /}
	 * @param headers the handshake's extra headers
	 * @return the status of the refusal
	 * @throws AssertionError if the server accepted the handshake
	 */
	public int refusalStatus(String path, Map<String, String> headers) {
		try {
			connect(path, headers).close();
		}
		catch (WebSocketHandshakeException refused) {
			return refused.getResponse().statusCode();
		}
		throw new AssertionError("The WebSocket handshake to " + path + " was accepted");
	}

}
