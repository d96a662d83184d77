package dev.stamp.webtransport.protocol;

/**
 * Maps 32-bit WebTransport application error codes to HTTP/3 error codes and back
 * (draft-ietf-webtrans-http3, "Resetting Data Streams"). The HTTP/3 space starts at
 * {@link #FIRST} and skips the reserved "GREASE" code points {@code 0x1f * N + 0x21}.
 */
public final class WebTransportErrorCodes {

	/** HTTP/3 error code of WebTransport application error 0. */
	public static final long FIRST = 0x52e4a40fa8dbL;

	/** HTTP/3 error code of WebTransport application error 0xffffffff. */
	public static final long LAST = 0x52e5ac983162L;

	/** The largest WebTransport application error code (32 bits). */
	public static final long MAX_APPLICATION_CODE = 0xffffffffL;

	/**
	 * WT_BUFFERED_STREAM_REJECTED: a stream buffered for an unknown session was refused.
	 */
	public static final long BUFFERED_STREAM_REJECTED = 0x3994bd84L;

	/** WT_SESSION_GONE: the stream's session is closed. */
	public static final long SESSION_GONE = 0x170d7b68L;

	/** H3_NO_ERROR. */
	public static final long H3_NO_ERROR = 0x100;

	private WebTransportErrorCodes() {
	}

	/**
	 * The HTTP/3 error code carrying WebTransport application error {@code code} (0 to
	 * 2^32-1).
	 * @param code the WebTransport application error code
	 * @return the HTTP/3 error code
	 */
	public static long toHttp3(long code) {
		if (code < 0 || code > MAX_APPLICATION_CODE) {
			throw new IllegalArgumentException("WebTransport error codes are 32-bit unsigned, was " + code);
		}
		return FIRST + code + code / 0x1e;
	}

	/**
	 * The WebTransport application error code inside HTTP/3 error code {@code http3Code}.
	 * @param http3Code an HTTP/3 error code
	 * @return the code, or {@code -1} if {@code http3Code} is outside the WebTransport
	 * range or a reserved code point
	 */
	public static long fromHttp3(long http3Code) {
		if (http3Code < FIRST || http3Code > LAST || isReserved(http3Code)) {
			return -1;
		}
		long shifted = http3Code - FIRST;
		return shifted - shifted / 0x1f;
	}

	/**
	 * Whether {@code http3Code} is one of the reserved code points
	 * {@code 0x1f * N + 0x21}.
	 * @param http3Code an HTTP/3 error code
	 * @return {@code true} for a reserved code point
	 */
	public static boolean isReserved(long http3Code) {
		return http3Code >= 0x21 && (http3Code - 0x21) % 0x1f == 0;
	}

}
