package dev.stamp.webtransport.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.stamp.webtransport.WebTransportStream;

/**
 * Subscribes to a stream's {@link WebTransportStream#receive()} with unbounded demand and
 * records what arrives. Embedded channels deliver on the calling thread, so what the
 * stream received is recorded by the time the write that carried it returns.
 */
final class RecordingReceiver {

	/** The chunks received, as US-ASCII text, in order. */
	final List<String> chunks = new ArrayList<>();

	private boolean completed;

	private @Nullable Throwable error;

	private RecordingReceiver() {
	}

	static RecordingReceiver subscribe(WebTransportStream stream) {
		RecordingReceiver receiver = new RecordingReceiver();
		stream.receive()
			.subscribe((bytes) -> receiver.chunks.add(new String(bytes, StandardCharsets.US_ASCII)),
					(ex) -> receiver.error = ex, () -> receiver.completed = true);
		return receiver;
	}

	/** Everything received so far, joined. */
	String text() {
		return String.join("", this.chunks);
	}

	/** Whether the stream's input ended cleanly (the peer's FIN). */
	boolean completed() {
		return this.completed;
	}

	/** How the stream's input failed, {@code null} if it did not. */
	@Nullable Throwable error() {
		return this.error;
	}

}
