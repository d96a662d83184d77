package dev.stamp.boot.topic;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.springframework.core.env.Environment;

import dev.stamp.boot.webtransport.WebTransportListener;
import dev.stamp.boot.webtransport.WebTransportTopics;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;

/**
 * Reads a topic's WebTransport stream as a browser would: frames of a type byte, a 4-byte
 * big-endian length and the payload.
 */
public final class TopicStreamFrames {

	private final InputStream in;

	private TopicStreamFrames(InputStream in) {
		this.in = in;
	}

	/**
	 * Waits for the next stream the server opens in the session and reads its first
	 * frame, which names the topic.
	 * @param session the client's session
	 * @param timeout the longest wait for the stream
	 * @return the frames and the topic they belong to
	 */
	public static Opened accept(WebTransportSession session, Duration timeout) throws Exception {
		WebTransportStream stream = session.acceptUniStream(timeout);
		if (stream == null) {
			throw new AssertionError("No stream within " + timeout);
		}
		TopicStreamFrames frames = new TopicStreamFrames(stream.inputStream());
		Frame first = frames.next();
		if (first == null || first.type() != WebTransportTopics.FRAME_TOPIC) {
			throw new AssertionError("The stream does not start with the topic: " + first);
		}
		return new Opened(first.text(), frames);
	}

	/**
	 * A WebTransport client that trusts the development certificate of a context.
	 * @param environment the context's environment
	 * @return the client
	 */
	public static WebTransportClient client(Environment environment) {
		String hash = environment.getProperty(WebTransportListener.CERTIFICATE_HASH_PROPERTY);
		return WebTransportClient.builder().trustCertificateHash(Base64.getDecoder().decode(hash)).build();
	}

	/**
	 * The next frame.
	 * @return the frame, or {@code null} at the end of the stream
	 */
	public Frame next() throws IOException {
		int type = this.in.read();
		if (type < 0) {
			return null;
		}
		byte[] header = this.in.readNBytes(4);
		if (header.length < 4) {
			throw new EOFException("Stream ended inside a frame header");
		}
		int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8)
				| (header[3] & 0xff);
		byte[] payload = this.in.readNBytes(length);
		if (payload.length < length) {
			throw new EOFException("Stream ended inside a frame payload");
		}
		return new Frame(type, payload);
	}

	/**
	 * The next frame, which must be a text message.
	 * @return the text
	 */
	public String nextText() throws IOException {
		Frame frame = next();
		if (frame == null || frame.type() != WebTransportTopics.FRAME_TEXT) {
			throw new AssertionError("Expected a text frame, got " + frame);
		}
		return frame.text();
	}

	/**
	 * The next frame, which must be a message with its offset.
	 * @return the message
	 */
	public OffsetMessage nextWithOffset() throws IOException {
		Frame frame = next();
		if (frame == null || (frame.type() != WebTransportTopics.FRAME_TEXT_WITH_OFFSET
				&& frame.type() != WebTransportTopics.FRAME_BINARY_WITH_OFFSET)) {
			throw new AssertionError("Expected a message with its offset, got " + frame);
		}
		int length = frame.payload()[0] & 0xff;
		String offset = new String(frame.payload(), 1, length, StandardCharsets.US_ASCII);
		byte[] payload = java.util.Arrays.copyOfRange(frame.payload(), 1 + length, frame.payload().length);
		return new OffsetMessage(offset, payload);
	}

	/**
	 * The next frame, which must be a recovery frame.
	 * @return the recovery: whether complete, and how many messages are replayed
	 */
	public Recovery nextRecovery() throws IOException {
		Frame frame = next();
		if (frame == null || frame.type() != WebTransportTopics.FRAME_RECOVERY || frame.payload().length != 5) {
			throw new AssertionError("Expected a recovery frame, got " + frame);
		}
		byte[] p = frame.payload();
		int replayed = ((p[1] & 0xff) << 24) | ((p[2] & 0xff) << 16) | ((p[3] & 0xff) << 8) | (p[4] & 0xff);
		return new Recovery(p[0] == 1, replayed);
	}

	/**
	 * A message frame with its offset.
	 *
	 * @param offset the offset
	 * @param payload the message's bytes
	 */
	public record OffsetMessage(String offset, byte[] payload) {

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

	/**
	 * A recovery frame.
	 *
	 * @param complete whether the history reached back to the offset
	 * @param replayed how many messages it replays
	 */
	public record Recovery(boolean complete, int replayed) {
	}

	/**
	 * A topic's stream, after its first frame.
	 *
	 * @param topic the topic the first frame names
	 * @param frames the frames that follow
	 */
	public record Opened(String topic, TopicStreamFrames frames) {
	}

	/**
	 * One frame.
	 *
	 * @param type the frame type
	 * @param payload the payload
	 */
	public record Frame(int type, byte[] payload) {

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return "Frame[" + this.type + ", " + this.payload.length + " bytes]";
		}

	}

}
