package dev.stamp.webtransport.protocol;

/**
 * The HTTP/3 error codes the engine sends and recognises, in one place: those of RFC 9114
 * (section 8.1), the WebTransport-specific ones of draft-ietf-webtrans-http3, and the
 * range that carries 32-bit WebTransport application error codes ("Resetting Data
 * Streams"). That range starts at {@link #WT_APPLICATION_ERROR_FIRST} and skips the
 * reserved "GREASE" code points {@code 0x1f * N + 0x21}.
 * <p>
 * The RFC 9114 codes are {@code int}s because Netty's QUIC API takes them as such; the
 * WebTransport ones need a {@code long}.
 */
public final class Http3ErrorCodes {

	/** H3_NO_ERROR: no error; how HTTP/3 peers close cleanly. */
	public static final int H3_NO_ERROR = 0x100;

	/** H3_GENERAL_PROTOCOL_ERROR: a protocol error with no more specific code. */
	public static final int H3_GENERAL_PROTOCOL_ERROR = 0x101;

	/** H3_INTERNAL_ERROR: an internal error in the HTTP stack. */
	public static final int H3_INTERNAL_ERROR = 0x102;

	/** H3_STREAM_CREATION_ERROR: the peer created a stream it should not have. */
	public static final int H3_STREAM_CREATION_ERROR = 0x103;

	/** H3_CLOSED_CRITICAL_STREAM: a stream the connection needs was closed or reset. */
	public static final int H3_CLOSED_CRITICAL_STREAM = 0x104;

	/** H3_FRAME_UNEXPECTED: a frame not permitted in the current state or stream. */
	public static final int H3_FRAME_UNEXPECTED = 0x105;

	/**
	 * H3_FRAME_ERROR: a frame (or here, a stream header) that is malformed or cut off.
	 */
	public static final int H3_FRAME_ERROR = 0x106;

	/** H3_EXCESSIVE_LOAD: the peer generates excessive load. */
	public static final int H3_EXCESSIVE_LOAD = 0x107;

	/** H3_ID_ERROR: a stream or push id used incorrectly. */
	public static final int H3_ID_ERROR = 0x108;

	/** H3_SETTINGS_ERROR: an error in the payload of a SETTINGS frame. */
	public static final int H3_SETTINGS_ERROR = 0x109;

	/** H3_MISSING_SETTINGS: no SETTINGS frame at the start of the control stream. */
	public static final int H3_MISSING_SETTINGS = 0x10a;

	/** H3_REQUEST_REJECTED: a request (or stream) refused without any processing. */
	public static final int H3_REQUEST_REJECTED = 0x10b;

	/** H3_REQUEST_CANCELLED: a request, or its response, is no longer needed. */
	public static final int H3_REQUEST_CANCELLED = 0x10c;

	/** H3_REQUEST_INCOMPLETE: the stream ended without a complete request. */
	public static final int H3_REQUEST_INCOMPLETE = 0x10d;

	/** H3_MESSAGE_ERROR: a malformed HTTP message (a malformed capsule, RFC 9297 3.3). */
	public static final int H3_MESSAGE_ERROR = 0x10e;

	/** H3_CONNECT_ERROR: the connection of a CONNECT request was reset or closed. */
	public static final int H3_CONNECT_ERROR = 0x10f;

	/** H3_VERSION_FALLBACK: the request should be retried over HTTP/1.1. */
	public static final int H3_VERSION_FALLBACK = 0x110;

	/**
	 * WT_BUFFERED_STREAM_REJECTED: a stream buffered for a session that did not come
	 * about was refused.
	 */
	public static final long WT_BUFFERED_STREAM_REJECTED = 0x3994bd84L;

	/** WT_SESSION_GONE: the stream's session is closed. */
	public static final long WT_SESSION_GONE = 0x170d7b68L;

	/** HTTP/3 error code of WebTransport application error 0. */
	public static final long WT_APPLICATION_ERROR_FIRST = 0x52e4a40fa8dbL;

	/** HTTP/3 error code of WebTransport application error 0xffffffff. */
	public static final long WT_APPLICATION_ERROR_LAST = 0x52e5ac983162L;

	/** The largest WebTransport application error code (32 bits). */
	public static final long MAX_APPLICATION_CODE = 0xffffffffL;

	private Http3ErrorCodes() {
	}

	/**
	 * The HTTP/3 error code carrying WebTransport application error {@code code} (0 to
	 * 2^32-1).
	 * @param code the WebTransport application error code
	 * @return the HTTP/3 error code
	 */
	public static long fromApplicationCode(long code) {
		if (code < 0 || code > MAX_APPLICATION_CODE) {
			throw new IllegalArgumentException("WebTransport error codes are 32-bit unsigned, was " + code);
		}
		return WT_APPLICATION_ERROR_FIRST + code + code / 0x1e;
	}

	/**
	 * The WebTransport application error code inside HTTP/3 error code {@code http3Code}.
	 * @param http3Code the HTTP/3 error code
	 * @return the code, or {@code -1} if {@code http3Code} is outside the WebTransport
	 * range or a reserved code point
	 */
	public static long toApplicationCode(long http3Code) {
		if (http3Code < WT_APPLICATION_ERROR_FIRST || http3Code > WT_APPLICATION_ERROR_LAST || isReserved(http3Code)) {
			return -1;
		}
		long shifted = http3Code - WT_APPLICATION_ERROR_FIRST;
		return shifted - shifted / 0x1f;
	}

	/**
	 * Whether {@code http3Code} is one of the reserved code points
	 * {@code 0x1f * N + 0x21}.
	 * @param http3Code the HTTP/3 error code
	 * @return whether the code point is reserved
	 */
	public static boolean isReserved(long http3Code) {
		return http3Code >= 0x21 && (http3Code - 0x21) % 0x1f == 0;
	}

}
