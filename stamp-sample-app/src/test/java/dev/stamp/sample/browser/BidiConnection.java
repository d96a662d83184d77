package dev.stamp.sample.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The smallest WebDriver BiDi client the page tests need: commands as JSON over the JDK's
 * {@link WebSocket}, each answered by the response with its id. Events are not subscribed
 * to, and ignored if any come.
 */
final class BidiConnection implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.shared();

	private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

	private final AtomicLong lastId = new AtomicLong();

	private final StringBuilder partialMessage = new StringBuilder();

	private volatile Throwable closedBecause;

	private WebSocket socket;

	private BidiConnection() {
	}

	/** Connects to the browser's BiDi endpoint ({@code ws://host:port/session}). */
	static BidiConnection connect(URI sessionUrl, Duration timeout) {
		BidiConnection connection = new BidiConnection();
		connection.socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(timeout)
			.buildAsync(sessionUrl, connection.new Listener())
			.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
			.join();
		return connection;
	}

	/**
	 * Sends the command and waits for its result; an error response, a closed connection
	 * or no answer in time fails with the method and what the browser said.
	 */
	JsonNode send(String method, Map<String, ?> params, Duration timeout) {
		long id = this.lastId.incrementAndGet();
		CompletableFuture<JsonNode> response = new CompletableFuture<>();
		this.pending.put(id, response);
		try {
			Throwable closed = this.closedBecause;
			if (closed != null) {
				throw new IllegalStateException("BiDi connection closed before " + method, closed);
			}
			String command = json.writeValueAsString(Map.of("id", id, "method", method, "params", params));
			this.socket.sendText(command, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			JsonNode message = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if ("error".equals(message.path("type").asString())) {
				throw new IllegalStateException("BiDi " + method + " failed: " + message.path("error").asString() + ": "
						+ message.path("message").asString());
			}
			return message.path("result");
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("No answer to BiDi " + method + " within " + timeout.toSeconds() + " s",
					ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("BiDi " + method + " failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted waiting for BiDi " + method, ex);
		}
		finally {
			this.pending.remove(id);
		}
	}

	private void received(String text) {
		JsonNode message = json.readTree(text);
		JsonNode id = message.get("id");
		if (id != null && id.isNumber()) {
			CompletableFuture<JsonNode> response = this.pending.get(id.asLong());
			if (response != null) {
				response.complete(message);
			}
		}
	}

	private void closed(Throwable because) {
		this.closedBecause = because;
		this.pending.values().forEach((response) -> response.completeExceptionally(because));
	}

	@Override
	public void close() {
		// Best effort: the browser may have closed the connection already.
		this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "")
			.orTimeout(1, TimeUnit.SECONDS)
			.exceptionally((error) -> null)
			.join();
		this.socket.abort();
	}

	private final class Listener implements WebSocket.Listener {

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			BidiConnection.this.partialMessage.append(data);
			if (last) {
				String message = BidiConnection.this.partialMessage.toString();
				BidiConnection.this.partialMessage.setLength(0);
				received(message);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			closed(new IllegalStateException("BiDi connection closed by the browser: " + statusCode + " " + reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			closed(error);
		}

	}

}
