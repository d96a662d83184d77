package dev.stamp.boot.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK {@link WebSocket} that records what it receives, for tests.
 */
public final class TestWebSocketClient implements WebSocket.Listener {

	private static final HttpClient httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();

	final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();

	volatile String closeReason;

	private final StringBuilder text = new StringBuilder();

	private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

	WebSocket socket;

	public static TestWebSocketClient connect(int port, String path) {
		return connect(port, path, null);
	}

	static TestWebSocketClient connect(int port, String path, String origin) {
		TestWebSocketClient client = new TestWebSocketClient();
		WebSocket.Builder builder = httpClient.newWebSocketBuilder();
		if (origin != null) {
			builder.header("Origin", origin);
		}
		client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client).join();
		return client;
	}

	/**
	 * Connects offering a subprotocol.
	 * @param port the listener's port
	 * @param pathAndQuery the path, with a query if wanted
	 * @param subprotocol the subprotocol to offer
	 * @return the connected client
	 */
	public static TestWebSocketClient connectWithSubprotocol(int port, String pathAndQuery, String subprotocol) {
		TestWebSocketClient client = new TestWebSocketClient();
		client.socket = httpClient.newWebSocketBuilder()
			.subprotocols(subprotocol)
			.buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), client)
			.join();
		return client;
	}

	/**
	 * The subprotocol the server chose.
	 * @return the subprotocol, empty when none
	 */
	public String subprotocol() {
		return this.socket.getSubprotocol();
	}

	/** The HTTP status a refused handshake was answered with. */
	static int refusedStatus(int port, String path, String origin) {
		try {
			connect(port, path, origin);
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
				return handshake.getResponse().statusCode();
			}
			throw ex;
		}
		throw new AssertionError("Handshake to " + path + " was accepted");
	}

	public String nextText() throws InterruptedException {
		Object message = this.messages.poll(10, TimeUnit.SECONDS);
		if (message == null) {
			throw new AssertionError("No message within 10s");
		}
		return (String) message;
	}

	byte[] nextBinary() throws InterruptedException {
		Object message = this.messages.poll(10, TimeUnit.SECONDS);
		if (message == null) {
			throw new AssertionError("No message within 10s");
		}
		return (byte[]) message;
	}

	public int awaitClose() throws Exception {
		return this.closeStatus.get(10, TimeUnit.SECONDS);
	}

	public void send(String message) {
		this.socket.sendText(message, true).join();
	}

	/** Starts the closing handshake with 1000 and waits until it is sent. */
	public void close() {
		this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.text.append(data);
		if (last) {
			this.messages.add(this.text.toString());
			this.text.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] chunk = new byte[data.remaining()];
		data.get(chunk);
		this.binary.writeBytes(chunk);
		if (last) {
			this.messages.add(this.binary.toByteArray());
			this.binary.reset();
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeReason = reason;
		this.closeStatus.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closeStatus.completeExceptionally(error);
	}

}
