package dev.stamp.webtransport;

import java.io.IOException;

/**
 * The peer reset a stream (RESET_STREAM) or asked to stop sending (STOP_SENDING), or the
 * session went away.
 */
public class WebTransportStreamException extends IOException {

	private final long code;

	/**
	 * Creates an exception for a failed stream.
	 * @param message what happened
	 * @param code the WebTransport application error code, or -1 if the peer used a code
	 * outside the WebTransport range (for example an HTTP/3 error)
	 */
	public WebTransportStreamException(String message, long code) {
		super(message);
		this.code = code;
	}

	/**
	 * The WebTransport application error code, or -1 if none applies.
	 * @return the error code, or -1
	 */
	public long code() {
		return this.code;
	}

}
