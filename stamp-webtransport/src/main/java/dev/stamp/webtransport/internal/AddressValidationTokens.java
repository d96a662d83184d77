package dev.stamp.webtransport.internal;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;

/**
 * Retry tokens that prove a client owns its address (RFC 9000 section 8.1.2): a
 * timestamp, the original destination connection id and an HMAC-SHA256 over both and the
 * client's address and port, under a key that lives as long as the server. A token is
 * good for {@link #lifetime} and only from the address it was issued to.
 * <p>
 * Layout: {@code issued-at millis (8) | mac (16) | original dcid (0..20)}.
 */
public final class AddressValidationTokens implements QuicTokenHandler {

	private static final int MAX_CONNECTION_ID_LENGTH = 20;

	private static final int MAC_LENGTH = 16;

	private static final int HEADER_LENGTH = Long.BYTES + MAC_LENGTH;

	private final SecretKeySpec key;

	private final Duration lifetime;

	private final Clock clock;

	private final LongAdder issued = new LongAdder();

	private final LongAdder accepted = new LongAdder();

	public AddressValidationTokens(Duration lifetime, Clock clock) {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.key = new SecretKeySpec(secret, "HmacSHA256");
		this.lifetime = lifetime;
		this.clock = clock;
	}

	/**
	 * Tokens valid for 10 seconds: long enough for one Retry round trip on any real path.
	 */
	public AddressValidationTokens() {
		this(Duration.ofSeconds(10), Clock.systemUTC());
	}

	@Override
	public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
		long issuedAt = this.clock.millis();
		byte[] connectionId = bytes(dcid, dcid.readerIndex(), dcid.readableBytes());
		out.writeLong(issuedAt);
		out.writeBytes(mac(issuedAt, connectionId, address));
		out.writeBytes(connectionId);
		this.issued.increment();
		return true;
	}

	@Override
	public int validateToken(ByteBuf token, InetSocketAddress address) {
		int start = token.readerIndex();
		int length = token.readableBytes();
		if (length < HEADER_LENGTH || length > HEADER_LENGTH + MAX_CONNECTION_ID_LENGTH) {
			return -1;
		}
		long issuedAt = token.getLong(start);
		long age = this.clock.millis() - issuedAt;
		if (age < 0 || age > this.lifetime.toMillis()) {
			return -1;
		}
		byte[] presented = bytes(token, start + Long.BYTES, MAC_LENGTH);
		byte[] connectionId = bytes(token, start + HEADER_LENGTH, length - HEADER_LENGTH);
		// Constant time: a timing difference would let an attacker forge the MAC byte by
		// byte.
		if (!MessageDigest.isEqual(presented, mac(issuedAt, connectionId, address))) {
			return -1;
		}
		this.accepted.increment();
		return HEADER_LENGTH;
	}

	/**
	 * Tokens sent in Retry packets so far.
	 * @return the number of tokens issued
	 */
	public long issued() {
		return this.issued.sum();
	}

	/**
	 * Tokens that came back valid so far.
	 * @return the number of tokens accepted
	 */
	public long accepted() {
		return this.accepted.sum();
	}

	@Override
	public int maxTokenLength() {
		return HEADER_LENGTH + MAX_CONNECTION_ID_LENGTH;
	}

	private byte[] mac(long issuedAt, byte[] connectionId, InetSocketAddress address) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			for (int shift = 56; shift >= 0; shift -= 8) {
				mac.update((byte) (issuedAt >>> shift));
			}
			mac.update((byte) connectionId.length);
			mac.update(connectionId);
			mac.update(address.getAddress().getAddress());
			mac.update((byte) (address.getPort() >>> 8));
			mac.update((byte) address.getPort());
			byte[] full = mac.doFinal();
			byte[] truncated = new byte[MAC_LENGTH];
			System.arraycopy(full, 0, truncated, 0, MAC_LENGTH);
			return truncated;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required of every Java runtime", ex);
		}
	}

	private static byte[] bytes(ByteBuf buffer, int index, int length) {
		byte[] bytes = new byte[length];
		buffer.getBytes(index, bytes);
		return bytes;
	}

}
