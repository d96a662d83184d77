package dev.stamp.webtransport.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The few DER (ITU-T X.690) encodings a self-signed X.509 certificate needs. */
final class Der {

	private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

	private Der() {
	}

	static byte[] sequence(byte[]... items) {
		return tagged(0x30, concat(items));
	}

	static byte[] set(byte[]... items) {
		return tagged(0x31, concat(items));
	}

	static byte[] integer(BigInteger value) {
		return tagged(0x02, value.toByteArray());
	}

	static byte[] octetString(byte[] value) {
		return tagged(0x04, value);
	}

	static byte[] bitString(byte[] value) {
		byte[] content = new byte[value.length + 1];
		System.arraycopy(value, 0, content, 1, value.length);
		return tagged(0x03, content);
	}

	static byte[] utf8String(String value) {
		return tagged(0x0c, value.getBytes(StandardCharsets.UTF_8));
	}

	static byte[] utcTime(ZonedDateTime time) {
		return tagged(0x17,
				UTC_TIME.format(time.withZoneSameInstant(ZoneOffset.UTC)).getBytes(StandardCharsets.US_ASCII));
	}

	static byte[] bool(boolean value) {
		return new byte[] { 0x01, 0x01, (byte) (value ? 0xff : 0x00) };
	}

	/**
	 * A context-specific constructed tag ({@code [n] EXPLICIT}).
	 * @param tagNumber the tag number {@code n}
	 * @param content the encoded content
	 * @return the tagged encoding
	 */
	static byte[] explicit(int tagNumber, byte[] content) {
		return tagged(0xa0 | tagNumber, content);
	}

	/**
	 * A context-specific primitive tag ({@code [n] IMPLICIT}) over raw bytes.
	 * @param tagNumber the tag number {@code n}
	 * @param content the raw content bytes
	 * @return the tagged encoding
	 */
	static byte[] implicit(int tagNumber, byte[] content) {
		return tagged(0x80 | tagNumber, content);
	}

	static byte[] oid(String dotted) {
		String[] parts = dotted.split("\\.");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
		for (int i = 2; i < parts.length; i++) {
			long arc = Long.parseLong(parts[i]);
			int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
			for (int g = groups - 1; g >= 0; g--) {
				int b = (int) ((arc >>> (7 * g)) & 0x7f);
				out.write((g > 0) ? (b | 0x80) : b);
			}
		}
		return tagged(0x06, out.toByteArray());
	}

	static byte[] tagged(int tag, byte[] content) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
		out.write(tag);
		int length = content.length;
		if (length < 0x80) {
			out.write(length);
		}
		else {
			int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
			out.write(0x80 | bytes);
			for (int i = bytes - 1; i >= 0; i--) {
				out.write((length >>> (8 * i)) & 0xff);
			}
		}
		out.writeBytes(content);
		return out.toByteArray();
	}

	static byte[] concat(byte[]... items) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] item : items) {
			out.writeBytes(item);
		}
		return out.toByteArray();
	}

}
