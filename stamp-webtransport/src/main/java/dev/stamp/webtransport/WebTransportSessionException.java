package dev.stamp.webtransport;

/**
 * An operation on a session failed: the session is closed, a limit was reached, or the
 * peer refused.
 */
public class WebTransportSessionException extends RuntimeException {

	public WebTransportSessionException(String message) {
		super(message);
	}

	public WebTransportSessionException(String message, Throwable cause) {
		super(message, cause);
	}

}
