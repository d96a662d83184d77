package dev.stamp.webtransport.protocol;

/**
 * A capsule (RFC 9297) that WebTransport understands, as read from or written to a
 * CONNECT stream.
 */
public interface Capsule {

	/** CLOSE_WEBTRANSPORT_SESSION. */
	long CLOSE_WEBTRANSPORT_SESSION = 0x2843;

	/** DRAIN_WEBTRANSPORT_SESSION. */
	long DRAIN_WEBTRANSPORT_SESSION = 0x78ae;

	/** The longest reason a CLOSE_WEBTRANSPORT_SESSION may carry, in UTF-8 bytes. */
	int MAX_CLOSE_REASON_BYTES = 1024;

	/**
	 * The capsule's type.
	 * @return the capsule type code
	 */
	long type();

	/**
	 * CLOSE_WEBTRANSPORT_SESSION: the session ends with an application error code and a
	 * reason.
	 *
	 * @param code the application error code (32 bits, unsigned)
	 * @param reason the reason, at most {@value #MAX_CLOSE_REASON_BYTES} UTF-8 bytes
	 */
	record Close(long code, String reason) implements Capsule {

		@Override
		public long type() {
			return CLOSE_WEBTRANSPORT_SESSION;
		}

	}

	/**
	 * DRAIN_WEBTRANSPORT_SESSION: the sender asks the peer to finish the session
	 * gracefully.
	 */
	record Drain() implements Capsule {

		@Override
		public long type() {
			return DRAIN_WEBTRANSPORT_SESSION;
		}

	}

}
