package dev.stamp.webtransport.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * HTTP datagrams (RFC 9297) as WebTransport uses them: a QUIC DATAGRAM whose payload
 * starts with the quarter stream id of the session's CONNECT stream.
 */
public final class HttpDatagrams {

	private HttpDatagrams() {
	}

	/**
	 * The overhead of the prefix for a session.
	 * @param sessionId the session's id
	 * @return the prefix's length in bytes
	 */
	public static int prefixLength(long sessionId) {
		return VarInt.size(sessionId >>> 2);
	}

	/**
	 * Encodes one datagram.
	 * @param allocator allocates the returned buffer
	 * @param sessionId the session the datagram belongs to
	 * @param payload the datagram's payload
	 * @return a new buffer the caller owns (normally written to the QUIC channel, which
	 * releases it)
	 */
	public static ByteBuf encode(ByteBufAllocator allocator, long sessionId, byte[] payload) {
		ByteBuf out = allocator.directBuffer(prefixLength(sessionId) + payload.length);
		VarInt.write(out, sessionId >>> 2);
		out.writeBytes(payload);
		return out;
	}

	/**
	 * Reads the prefix of a received datagram and advances the reader index to the
	 * payload.
	 * @param datagram the received datagram, prefix first
	 * @return the session id (the CONNECT stream id), or {@code -1} if the prefix is
	 * truncated or out of range
	 */
	public static long readSessionId(ByteBuf datagram) {
		long quarter = VarInt.read(datagram);
		if (quarter == VarInt.INCOMPLETE || quarter > (VarInt.MAX_VALUE >>> 2)) {
			return -1;
		}
		return quarter << 2;
	}

}
