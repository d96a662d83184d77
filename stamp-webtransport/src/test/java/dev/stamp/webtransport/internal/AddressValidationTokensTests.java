package dev.stamp.webtransport.internal;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retry tokens: good only from the address they were issued to, unaltered, and within
 * their lifetime.
 */
class AddressValidationTokensTests {

	private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);

	private final MutableClock clock = new MutableClock();

	private final AddressValidationTokens tokens = new AddressValidationTokens(Duration.ofSeconds(10), this.clock);

	private final ByteBuf connectionId = Unpooled.wrappedBuffer(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });

	private final ByteBuf token = Unpooled.buffer();

	@AfterEach
	void release() {
		this.connectionId.release();
		this.token.release();
	}

	@Test
	void tokenFromTheSameAddressPointsAtTheOriginalConnectionId() {
		assertThat(this.tokens.writeToken(this.token, this.connectionId, CLIENT)).isTrue();
		assertThat(this.token.readableBytes()).isLessThanOrEqualTo(this.tokens.maxTokenLength());
		int offset = this.tokens.validateToken(this.token, CLIENT);
		assertThat(offset).isPositive();
		assertThat(this.token.slice(offset, this.token.readableBytes() - offset)).isEqualTo(this.connectionId);
	}

	@Test
	void tokenFromAnotherAddressOrPortIsRefused() {
		this.tokens.writeToken(this.token, this.connectionId, CLIENT);
		assertThat(this.tokens.validateToken(this.token, new InetSocketAddress("192.0.2.8", 40000))).isEqualTo(-1);
		assertThat(this.tokens.validateToken(this.token, new InetSocketAddress("192.0.2.7", 40001))).isEqualTo(-1);
	}

	@Test
	void alteredTokenIsRefused() {
		this.tokens.writeToken(this.token, this.connectionId, CLIENT);
		int last = this.token.writerIndex() - 1;
		this.token.setByte(last, this.token.getByte(last) ^ 1);
		assertThat(this.tokens.validateToken(this.token, CLIENT)).isEqualTo(-1);
	}

	@Test
	void tokenFromAnotherServerIsRefused() {
		new AddressValidationTokens(Duration.ofSeconds(10), this.clock).writeToken(this.token, this.connectionId,
				CLIENT);
		assertThat(this.tokens.validateToken(this.token, CLIENT)).isEqualTo(-1);
	}

	@Test
	void tokenExpiresAfterItsLifetime() {
		this.tokens.writeToken(this.token, this.connectionId, CLIENT);
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.tokens.validateToken(this.token, CLIENT)).isPositive();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.tokens.validateToken(this.token, CLIENT)).isEqualTo(-1);
	}

	@Test
	void truncatedOrOversizedTokensAreRefused() {
		this.token.writeBytes(new byte[7]);
		assertThat(this.tokens.validateToken(this.token, CLIENT)).isEqualTo(-1);
		this.token.writeBytes(new byte[this.tokens.maxTokenLength()]);
		assertThat(this.tokens.validateToken(this.token, CLIENT)).isEqualTo(-1);
	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-11-22T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
