package dev.stamp.webtransport.protocol;

/** The first varint of WebTransport data streams. */
public final class StreamTypes {

	/**
	 * Signal value that opens a WebTransport bidirectional stream (followed by the
	 * session id).
	 */
	public static final long BIDI_SIGNAL = 0x41;

	/** Unidirectional stream type of WebTransport (followed by the session id). */
	public static final long UNI_STREAM_TYPE = 0x54;

	private StreamTypes() {
	}

}
