package dev.stamp.boot.topic;

/**
 * Compares history offsets: Redis stream ids, {@code <milliseconds>-<sequence>}, both
 * unsigned 64-bit numbers. Users treat offsets as opaque strings.
 */
public final class TopicOffsets {

	private TopicOffsets() {
	}

	/**
	 * Compares two offsets in the order their messages were added to the history.
	 * @param left an offset
	 * @param right another offset
	 * @return negative, zero or positive as {@code left} is before, equal to or after
	 * {@code right}
	 * @throws IllegalArgumentException if an offset is not of the form
	 * {@code <milliseconds>-<sequence>}
	 */
	public static int compare(String left, String right) {
		long[] l = parse(left);
		long[] r = parse(right);
		int byTime = Long.compareUnsigned(l[0], r[0]);
		return (byTime != 0) ? byTime : Long.compareUnsigned(l[1], r[1]);
	}

	/**
	 * Whether a string is an offset.
	 * @param offset the string to check
	 * @return {@code true} for {@code <milliseconds>-<sequence>}
	 */
	public static boolean isValid(String offset) {
		try {
			parse(offset);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static long[] parse(String offset) {
		int dash = offset.indexOf('-');
		if (dash <= 0 || dash == offset.length() - 1) {
			throw new IllegalArgumentException("Not a topic offset: '" + offset + "'");
		}
		try {
			return new long[] { Long.parseUnsignedLong(offset, 0, dash, 10),
					Long.parseUnsignedLong(offset, dash + 1, offset.length(), 10) };
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Not a topic offset: '" + offset + "'", ex);
		}
	}

}
