package dev.stamp.test.client;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket session of a {@link StampWebSocketTestClient}: the messages the server
 * sends are queued in arrival order (text as {@link String}, binary as {@code byte[]}),
 * and every wait fails the test after the client's timeout.
 */
public final class StampWebSocketTestSession implements AutoCloseable {

	private final Duration timeout;

	private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();

	private final CompletableFuture<CloseStatus> closeStatus = new CompletableFuture<>();

	private final Listener listener = new Listener();

	private WebSocket webSocket;

	StampWebSocketTestSession(Duration timeout) {
		this.timeout = timeout;
	}

	WebSocket.Listener listener() {
		return this.listener;
	}

	void attach(WebSocket webSocket) {
		this.webSocket = webSocket;
	}

	/**
	 * Sends a text message and waits until it is written.
	 * @param text the message
	 */
	public void send(String text) {
		await(this.webSocket.sendText(text, true), "send a text message");
	}

	/**
	 * Sends a binary message and waits until it is written.
	 * @param bytes the message
	 */
	public void send(byte[] bytes) {
		await(this.webSocket.sendBinary(ByteBuffer.wrap(bytes), true), "send a binary message");
	}

	/**
	 * The next message, text or binary.
	 * @return a {@link String} or a {@code byte[]}
	 * @throws AssertionError if none arrives within the timeout
	 */
	public Object next() throws InterruptedException {
		Object message = this.messages.poll(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (message == null) {
			throw new AssertionError("No WebSocket message within " + this.timeout);
		}
		return message;
	}

	/**
	 * The next message, which must be a text message.
	 * @return the text
	 * @throws AssertionError if none arrives within the timeout, or it is binary
	 */
	public String nextText() throws InterruptedException {
		return next(String.class);
	}

	/**
	 * The next message, which must be a binary message.
	 * @return the bytes
	 * @throws AssertionError if none arrives within the timeout, or it is text
	 */
	public byte[] nextBinary() throws InterruptedException {
		return next(byte[].class);
	}

	private <T> T next(Class<T> type) throws InterruptedException {
		Object message = next();
		if (!type.isInstance(message)) {
			throw new AssertionError("Expected a " + ((type == String.class) ? "text" : "binary")
					+ " WebSocket message but got " + message);
		}
		return type.cast(message);
	}

	/**
	 * Waits for the server to close the session.
	 * @return the close code and reason the server sent
	 * @throws AssertionError if the session is still open after the timeout
	 */
	public CloseStatus awaitClose() throws InterruptedException {
		try {
			return this.closeStatus.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("The WebSocket was not closed within " + this.timeout, ex);
		}
		catch (ExecutionException ex) {
			throw new AssertionError("The WebSocket failed instead of closing", ex.getCause());
		}
	}

	/**
	 * Sends a close frame.
	 * @param code the close code
	 * @param reason the reason
	 */
	public void close(int code, String reason) {
		await(this.webSocket.sendClose(code, reason), "close");
	}

	/**
	 * The JDK WebSocket, for anything this class does not cover.
	 * @return the WebSocket
	 */
	public WebSocket webSocket() {
		return this.webSocket;
	}

	/**
	 * Closes the session normally (1000) unless it is closed already; quietly, as a
	 * failing test may close a session the server has already dropped.
	 */
	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "")
				.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.exceptionally((error) -> null)
				.join();
		}
	}

	private void await(CompletableFuture<?> sent, String action) {
		try {
			sent.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not " + action, ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Could not " + action + " within " + this.timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while trying to " + action, ex);
		}
	}

	/**
	 * How the server closed a session.
	 *
	 * @param code the close code
	 * @param reason the reason, empty if none
	 */
	public record CloseStatus(int code, String reason) {

	}

	/** Assembles fragmented messages and queues each whole one. */
	private final class Listener implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				StampWebSocketTestSession.this.messages.add(this.text.toString());
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
				StampWebSocketTestSession.this.messages.add(this.binary.toByteArray());
				this.binary.reset();
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			StampWebSocketTestSession.this.closeStatus.complete(new CloseStatus(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			StampWebSocketTestSession.this.closeStatus.completeExceptionally(error);
		}

	}

}
