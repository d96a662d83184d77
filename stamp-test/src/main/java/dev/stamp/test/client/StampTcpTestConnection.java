package dev.stamp.test.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One TCP connection of a {@link StampTcpTestClient}: blocking writes, and reads of an
 * exact number of bytes that fail after the client's timeout. TCP keeps no message
 * boundaries, so a test reads as many bytes as it expects.
 */
public final class StampTcpTestConnection implements AutoCloseable {

	private final Socket socket;

	StampTcpTestConnection(Socket socket) {
		this.socket = socket;
	}

	/**
	 * Writes bytes to the server.
	 * @param bytes the bytes
	 */
	public void send(byte[] bytes) {
		try {
			OutputStream out = this.socket.getOutputStream();
			out.write(bytes);
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not send " + bytes.length + " bytes", ex);
		}
	}

	/**
	 * Writes text to the server, encoded as UTF-8.
	 * @param text the text
	 */
	public void send(String text) {
		send(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Reads exactly {@code length} bytes.
	 * @param length how many bytes to read
	 * @return the bytes
	 * @throws AssertionError if the server closes the connection first
	 * @throws UncheckedIOException if they do not arrive within the timeout
	 */
	public byte[] read(int length) {
		ByteArrayOutputStream read = new ByteArrayOutputStream(length);
		byte[] buffer = new byte[8192];
		try {
			InputStream in = this.socket.getInputStream();
			while (read.size() < length) {
				int n = in.read(buffer, 0, Math.min(buffer.length, length - read.size()));
				if (n < 0) {
					throw new AssertionError("Connection closed after " + read.size() + " of " + length + " bytes");
				}
				read.write(buffer, 0, n);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Read " + read.size() + " of " + length + " bytes", ex);
		}
		return read.toByteArray();
	}

	/**
	 * Reads exactly {@code length} bytes and decodes them as UTF-8.
	 * @param length how many bytes (not characters) to read
	 * @return the text
	 */
	public String readText(int length) {
		return new String(read(length), StandardCharsets.UTF_8);
	}

	/**
	 * Waits for the server to close its side of the connection.
	 * @return {@code true} if the server closed it, {@code false} if a byte arrived
	 * instead (the byte is consumed)
	 * @throws UncheckedIOException if neither happens within the timeout
	 */
	public boolean readEndOfStream() {
		try {
			return this.socket.getInputStream().read() < 0;
		}
		catch (SocketTimeoutException ex) {
			throw new UncheckedIOException("The server neither closed the connection nor sent a byte", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Closes the client's sending side (TCP half-close): the server reads end of stream
	 * while the client can still read.
	 */
	public void shutdownOutput() {
		try {
			this.socket.shutdownOutput();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The underlying socket, for anything this class does not cover.
	 * @return the socket
	 */
	public Socket socket() {
		return this.socket;
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
