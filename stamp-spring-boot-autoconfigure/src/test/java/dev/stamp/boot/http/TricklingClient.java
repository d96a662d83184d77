package dev.stamp.boot.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A client that sends its request one byte at a time (slowloris), for the tests of
 * request deadlines on every listener that reads HTTP/1.1 requests.
 */
public final class TricklingClient {

	private TricklingClient() {
	}

	/**
	 * Sends one byte every 100 ms until the server answers or closes; returns what it
	 * answered.
	 */
	public static String trickle(Socket socket, String text) throws Exception {
		OutputStream out = socket.getOutputStream();
		InputStream in = socket.getInputStream();
		socket.setSoTimeout(100);
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		try {
			for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
				out.write(b);
				out.flush();
				try {
					int read;
					while ((read = in.read()) >= 0) {
						answer.write(read);
					}
					return answer.toString(StandardCharsets.US_ASCII);
				}
				catch (SocketTimeoutException ex) {
					// Nothing yet: keep trickling.
				}
			}
		}
		catch (IOException ex) {
			// Closed while writing.
		}
		return answer.toString(StandardCharsets.US_ASCII);
	}

}
