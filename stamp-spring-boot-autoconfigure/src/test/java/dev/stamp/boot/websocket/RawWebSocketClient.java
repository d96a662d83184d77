package dev.stamp.boot.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client on a plain {@link Socket} that writes exactly the frames a test
 * builds, valid or not, and reads the server's frames as they are: for protocol tests
 * that no well-behaved client library can express.
 */
final class RawWebSocketClient implements AutoCloseable {

	static final int TEXT = 0x1;

	static final int BINARY = 0x2;

	static final int CONTINUATION = 0x0;

	static final int CLOSE = 0x8;

	static final int PING = 0x9;

	static final int PONG = 0xA;

	/**
	 * What {@link #awaitClose()} returns when the connection ended without a close frame.
	 */
	static final int NO_CLOSE_FRAME = -1;

	/** What {@link #awaitClose()} returns for a close frame without a status code. */
	static final int NO_STATUS = 1005;

	private static final byte[] DEFLATE_TAIL = { 0x00, 0x00, (byte) 0xff, (byte) 0xff };

	final Socket socket;

	final String handshakeResponse;

	private final PacedInputStream paced;

	private final DataInputStream in;

	private final OutputStream out;

	private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);

	private final Inflater inflater = new Inflater(true);

	private boolean noContextTakeover;

	private RawWebSocketClient(Socket socket, String handshakeResponse) throws IOException {
		this.socket = socket;
		this.handshakeResponse = handshakeResponse;
		this.paced = new PacedInputStream(socket.getInputStream());
		this.in = new DataInputStream(this.paced);
		this.out = socket.getOutputStream();
	}

	/** Opens a WebSocket on {@code path}, failing unless the server answers 101. */
	static RawWebSocketClient connect(int port, String path) throws IOException {
		return connect(port, path, "");
	}

	/**
	 * Opens a WebSocket offering {@code permessage-deflate}, failing unless the server
	 * accepts it.
	 */
	static RawWebSocketClient connectDeflating(int port, String path) throws IOException {
		return connectDeflating(port, path, "permessage-deflate");
	}

	/**
	 * Opens a WebSocket offering {@code permessage-deflate} with the given parameters,
	 * failing unless the server accepts it; with {@code client_no_context_takeover} the
	 * client compresses each message on its own.
	 */
	static RawWebSocketClient connectDeflating(int port, String path, String offer) throws IOException {
		RawWebSocketClient client = connect(port, path, "Sec-WebSocket-Extensions: " + offer + "\r\n");
		if (!client.handshakeResponse.toLowerCase().contains("permessage-deflate")) {
			client.close();
			throw new AssertionError("permessage-deflate not negotiated: " + client.handshakeResponse);
		}
		client.noContextTakeover = offer.contains("client_no_context_takeover");
		return client;
	}

	/**
	 * Opens a WebSocket with a small receive buffer, so that the server's writes back up
	 * soon once the client stops reading.
	 */
	static RawWebSocketClient connectWithReceiveBuffer(int port, String path, int receiveBufferSize)
			throws IOException {
		return connect(open(port, receiveBufferSize), path, "", new byte[0]);
	}

	/**
	 * Opens a WebSocket sending {@code early} right behind the upgrade request, without
	 * waiting for the answer.
	 */
	static RawWebSocketClient connectSendingEarly(int port, String path, byte[] early) throws IOException {
		return connect(open(port, 0), path, "", early);
	}

	private static RawWebSocketClient connect(int port, String path, String extraHeaders) throws IOException {
		return connect(open(port, 0), path, extraHeaders, new byte[0]);
	}

	private static RawWebSocketClient connect(Socket socket, String path, String extraHeaders, byte[] early)
			throws IOException {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes(upgradeRequest(path, extraHeaders).getBytes(StandardCharsets.US_ASCII));
		request.writeBytes(early);
		// One write, so that the server reads both at once
		socket.getOutputStream().write(request.toByteArray());
		String response = readHeaders(socket.getInputStream());
		if (!response.startsWith("HTTP/1.1 101")) {
			socket.close();
			throw new AssertionError("Handshake refused: " + response);
		}
		return new RawWebSocketClient(socket, response);
	}

	/**
	 * A valid upgrade request for {@code path}, with more header lines (each ending in
	 * CRLF) if given.
	 */
	static String upgradeRequest(String path, String extraHeaders) {
		return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders
				+ "\r\n";
	}

	/**
	 * Sends {@code request} as is and returns the whole response the server gives before
	 * it closes the connection (or within 10 s): status line, headers and body.
	 */
	static String exchange(int port, String request) throws IOException {
		try (Socket socket = open(port, 0)) {
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			String headers = readHeaders(in);
			int length = contentLength(headers);
			byte[] body = (length >= 0) ? in.readNBytes(length) : new byte[0];
			return headers + new String(body, StandardCharsets.UTF_8);
		}
	}

	private static int contentLength(String headers) {
		for (String line : headers.split("\r\n")) {
			if (line.toLowerCase().startsWith("content-length:")) {
				return Integer.parseInt(line.substring("content-length:".length()).trim());
			}
		}
		return -1;
	}

	private static Socket open(int port, int receiveBufferSize) throws IOException {
		Socket socket = new Socket();
		if (receiveBufferSize > 0) {
			// Before connecting, or the TCP window is already agreed.
			socket.setReceiveBufferSize(receiveBufferSize);
		}
		socket.connect(new InetSocketAddress("127.0.0.1", port));
		socket.setSoTimeout(10_000);
		socket.setTcpNoDelay(true);
		return socket;
	}

	static String readHeaders(InputStream in) throws IOException {
		StringBuilder headers = new StringBuilder();
		while (!headers.toString().endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				break;
			}
			headers.append((char) next);
		}
		return headers.toString();
	}

	/**
	 * From now on, reads at most {@code chunkSize} bytes at a time and pauses after each
	 * read, like a slow reader.
	 */
	void readSlowly(int chunkSize, long pauseMillis) {
		this.paced.pace(chunkSize, pauseMillis);
	}

	/** Sends one masked frame; {@code rsv} holds the three reserved bits (RSV1 = 4). */
	void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
		this.out.write(frame(fin, rsv, opcode, payload, true));
		this.out.flush();
	}

	/** Sends one frame without a mask, which clients must not do. */
	void sendUnmaskedFrame(boolean fin, int opcode, byte[] payload) throws IOException {
		this.out.write(frame(fin, 0, opcode, payload, false));
		this.out.flush();
	}

	void sendText(String text) throws IOException {
		sendFrame(true, 0, TEXT, utf8(text));
	}

	void sendClose(int status, String reason) throws IOException {
		sendFrame(true, 0, CLOSE, closePayload(status, reason));
	}

	/**
	 * Sends a whole message compressed with {@code permessage-deflate} (RFC 7692 7.2.1):
	 * raw DEFLATE with the trailing empty block removed, RSV1 set.
	 */
	void sendCompressed(int opcode, byte[] message) throws IOException {
		sendFrame(true, 4, opcode, deflate(message));
	}

	byte[] deflate(byte[] message) {
		if (this.noContextTakeover) {
			this.deflater.reset();
		}
		this.deflater.setInput(message);
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int count;
		while ((count = this.deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
			compressed.write(buffer, 0, count);
		}
		byte[] bytes = compressed.toByteArray();
		// SYNC_FLUSH ends with the empty stored block 00 00 ff ff, which the sender
		// leaves out.
		byte[] trimmed = new byte[bytes.length - DEFLATE_TAIL.length];
		System.arraycopy(bytes, 0, trimmed, 0, trimmed.length);
		return trimmed;
	}

	static byte[] closePayload(int status, String reason) {
		byte[] reasonBytes = utf8(reason);
		return ByteBuffer.allocate(2 + reasonBytes.length).putShort((short) status).put(reasonBytes).array();
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** The bytes of one masked frame, for tests that write them in pieces. */
	static byte[] maskedFrame(boolean fin, int rsv, int opcode, byte[] payload) {
		return frame(fin, rsv, opcode, payload, true);
	}

	private static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
		int maskBit = masked ? 0x80 : 0;
		if (payload.length < 126) {
			frame.write(maskBit | payload.length);
		}
		else if (payload.length < 65536) {
			frame.write(maskBit | 126);
			frame.write(payload.length >> 8);
			frame.write(payload.length & 0xff);
		}
		else {
			frame.write(maskBit | 127);
			frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
		}
		if (!masked) {
			frame.writeBytes(payload);
			return frame.toByteArray();
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		frame.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	/** The next frame from the server, or {@code null} once the connection has ended. */
	Frame readFrame() throws IOException {
		try {
			int first = this.in.readUnsignedByte();
			int second = this.in.readUnsignedByte();
			long length = second & 0x7f;
			if (length == 126) {
				length = this.in.readUnsignedShort();
			}
			else if (length == 127) {
				length = this.in.readLong();
			}
			if ((second & 0x80) != 0) {
				throw new AssertionError("The server masked a frame");
			}
			byte[] payload = new byte[Math.toIntExact(length)];
			this.in.readFully(payload);
			return new Frame((first & 0x80) != 0, (first >> 4) & 0x7, first & 0xf, payload);
		}
		catch (EOFException | SocketException ex) {
			return null;
		}
	}

	/**
	 * The next data message, joined from its frames and inflated if compressed;
	 * {@code null} if it never came.
	 */
	Frame readMessage() throws IOException {
		Frame first = readFrame();
		while (first != null && first.opcode() >= CLOSE) {
			if (first.opcode() == CLOSE) {
				throw new AssertionError("Closed with " + first.closeStatus() + " while a message was expected");
			}
			first = readFrame();
		}
		if (first == null) {
			return null;
		}
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		payload.writeBytes(first.payload());
		Frame last = first;
		while (!last.fin()) {
			last = readFrame();
			if (last == null) {
				return null;
			}
			payload.writeBytes(last.payload());
		}
		byte[] bytes = payload.toByteArray();
		return new Frame(true, 0, first.opcode(), ((first.rsv() & 4) != 0) ? inflate(bytes) : bytes);
	}

	/** The next text message. */
	String readText() throws IOException {
		Frame message = readMessage();
		if (message == null) {
			throw new AssertionError("Connection ended while a text message was expected");
		}
		if (message.opcode() != TEXT) {
			throw new AssertionError("Expected a text message, got opcode " + message.opcode());
		}
		return message.text();
	}

	private byte[] inflate(byte[] compressed) {
		this.inflater.setInput(concat(compressed, DEFLATE_TAIL));
		ByteArrayOutputStream inflated = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			int count;
			while ((count = this.inflater.inflate(buffer)) > 0) {
				inflated.write(buffer, 0, count);
			}
		}
		catch (DataFormatException ex) {
			throw new AssertionError("The server sent bad DEFLATE data", ex);
		}
		return inflated.toByteArray();
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] joined = new byte[first.length + second.length];
		System.arraycopy(first, 0, joined, 0, first.length);
		System.arraycopy(second, 0, joined, first.length, second.length);
		return joined;
	}

	/**
	 * Reads until the server's close frame and returns its status code
	 * ({@link #NO_STATUS} if it has none), skipping whatever data came before;
	 * {@link #NO_CLOSE_FRAME} if the connection ended without one.
	 */
	int awaitClose() throws IOException {
		Frame frame = awaitCloseFrame();
		return (frame != null) ? frame.closeStatus() : NO_CLOSE_FRAME;
	}

	/**
	 * Reads until the server's close frame, or {@code null} if the connection ended
	 * without one.
	 */
	Frame awaitCloseFrame() throws IOException {
		for (Frame frame = readFrame(); frame != null; frame = readFrame()) {
			if (frame.opcode() == CLOSE) {
				return frame;
			}
		}
		return null;
	}

	/**
	 * Whether the server ended the TCP connection after its close frame (reads reach the
	 * end of stream).
	 */
	boolean isEndOfStream() throws IOException {
		try {
			return this.in.read() < 0;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	@Override
	public void close() throws IOException {
		this.deflater.end();
		this.inflater.end();
		this.socket.close();
	}

	/** Reads at full speed until paced. */
	private static final class PacedInputStream extends FilterInputStream {

		private volatile int chunkSize = Integer.MAX_VALUE;

		private volatile long pauseMillis;

		PacedInputStream(InputStream in) {
			super(in);
		}

		void pace(int chunkSize, long pauseMillis) {
			this.chunkSize = chunkSize;
			this.pauseMillis = pauseMillis;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int count = super.read(buffer, offset, Math.min(length, this.chunkSize));
			if (this.pauseMillis > 0) {
				try {
					Thread.sleep(this.pauseMillis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException();
				}
			}
			return count;
		}

	}

	/** One frame as the server sent it. */
	record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

		String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		int closeStatus() {
			if (this.payload.length < 2) {
				return NO_STATUS;
			}
			return ((this.payload[0] & 0xff) << 8) | (this.payload[1] & 0xff);
		}

		String closeReason() {
			return new String(this.payload, 2, Math.max(0, this.payload.length - 2), StandardCharsets.UTF_8);
		}

	}

}
