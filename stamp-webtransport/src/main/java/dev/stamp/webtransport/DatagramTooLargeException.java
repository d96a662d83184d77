package dev.stamp.webtransport;

/**
 * A datagram payload exceeds what the peer accepts
 * ({@link WebTransportSession#maxDatagramSize()}).
 */
public class DatagramTooLargeException extends WebTransportSessionException {

	private final int size;

	private final int maxSize;

	public DatagramTooLargeException(int size, int maxSize) {
		super("Datagram payload of " + size + " bytes exceeds the maximum of " + maxSize + " bytes");
		this.size = size;
		this.maxSize = maxSize;
	}

	public int size() {
		return this.size;
	}

	public int maxSize() {
		return this.maxSize;
	}

}
