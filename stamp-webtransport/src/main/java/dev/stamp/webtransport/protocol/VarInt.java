package dev.stamp.webtransport.protocol;

import io.netty.buffer.ByteBuf;

/**
 * QUIC variable-length integers (RFC 9000, section 16): 1, 2, 4 or 8 bytes, the two top
 * bits of the first byte give the length. Netty's own helpers are package-private, so
 * WebTransport framing uses these.
 */
public final class VarInt {

	/** The largest value a varint can carry (2^62 - 1). */
	public static final long MAX_VALUE = (1L << 62) - 1;

	/**
	 * Returned by {@link #read(ByteBuf)} when the buffer does not yet hold the whole
	 * varint.
	 */
	public static final long INCOMPLETE = -1;

	private VarInt() {
	}

	/**
	 * The encoded length announced by the first byte of a varint.
	 * @param firstByte the first byte of the varint
	 * @return the length in bytes: 1, 2, 4 or 8
	 */
	public static int encodedLength(byte firstByte) {
		return 1 << ((firstByte & 0xC0) >>> 6);
	}

	/**
	 * How many bytes {@code value} needs.
	 * @param value the value to encode
	 * @return the length in bytes: 1, 2, 4 or 8
	 */
	public static int size(long value) {
		if (value < 0 || value > MAX_VALUE) {
			throw new IllegalArgumentException("Not a QUIC varint: " + value);
		}
		if (value <= 63) {
			return 1;
		}
		if (value <= 16383) {
			return 2;
		}
		if (value <= 1073741823) {
			return 4;
		}
		return 8;
	}

	/**
	 * Reads one varint if the buffer holds all of it.
	 * @param in the buffer to read from
	 * @return the value, with the reader index advanced; or {@link #INCOMPLETE} with the
	 * reader index unchanged
	 */
	public static long read(ByteBuf in) {
		if (!in.isReadable()) {
			return INCOMPLETE;
		}
		int index = in.readerIndex();
		int length = encodedLength(in.getByte(index));
		if (in.readableBytes() < length) {
			return INCOMPLETE;
		}
		long value;
		switch (length) {
			case 1:
				value = in.readByte() & 0x3F;
				break;
			case 2:
				value = in.readShort() & 0x3FFF;
				break;
			case 4:
				value = in.readInt() & 0x3FFFFFFFL;
				break;
			default:
				value = in.readLong() & 0x3FFFFFFFFFFFFFFFL;
				break;
		}
		return value;
	}

	/**
	 * Writes {@code value} in its shortest encoding.
	 * @param out the buffer to write to
	 * @param value the value, 0 to 2^62-1
	 * @return {@code out}
	 */
	public static ByteBuf write(ByteBuf out, long value) {
		switch (size(value)) {
			case 1:
				return out.writeByte((int) value);
			case 2:
				return out.writeShort((int) (value | 0x4000));
			case 4:
				return out.writeInt((int) (value | 0x80000000L));
			default:
				return out.writeLong(value | 0xC000000000000000L);
		}
	}

}
