package dev.stamp.webtransport.protocol;

/** A malformed capsule on a CONNECT stream; the session must be closed with an error. */
public class CapsuleException extends Exception {

	public CapsuleException(String message) {
		super(message);
	}

}
