package dev.stamp.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK {@link WebSocket} client that queues the text messages it receives, for tests.
 */
final class TextWebSocketClient implements WebSocket.Listener, AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

	private final StringBuilder partial = new StringBuilder();

	private WebSocket socket;

	static TextWebSocketClient connect(HttpClient http, int port, String path) {
		TextWebSocketClient client = new TextWebSocketClient();
		client.socket = http.newWebSocketBuilder()
			.connectTimeout(TIMEOUT)
			.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client)
			.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
			.join();
		return client;
	}

	void send(String text) {
		this.socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	/** The next message, failing the test if none arrives in time. */
	String next() throws InterruptedException {
		String message = this.received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		if (message == null) {
			throw new AssertionError("No WebSocket message within " + TIMEOUT.toSeconds() + " s");
		}
		return message;
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			this.received.add(this.partial.toString());
			this.partial.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public void close() {
		// Best effort: the server may already be gone when a failing test cleans up.
		this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "")
			.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
			.exceptionally((error) -> null)
			.join();
	}

}
