package dev.stamp.webtransport.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class Http3ErrorCodesTests {

	@Test
	void mapsTheEndsOfTheRange() {
		assertThat(Http3ErrorCodes.fromApplicationCode(0)).isEqualTo(0x52e4a40fa8dbL);
		assertThat(Http3ErrorCodes.fromApplicationCode(0xffffffffL))
			.isEqualTo(Http3ErrorCodes.WT_APPLICATION_ERROR_LAST);
		assertThat(Http3ErrorCodes.toApplicationCode(0x52e4a40fa8dbL)).isZero();
		assertThat(Http3ErrorCodes.toApplicationCode(Http3ErrorCodes.WT_APPLICATION_ERROR_LAST)).isEqualTo(0xffffffffL);
	}

	@Test
	void skipsReservedCodePointsAndRoundTrips() {
		for (long code = 0; code < 200; code++) {
			long http3 = Http3ErrorCodes.fromApplicationCode(code);
			assertThat(Http3ErrorCodes.isReserved(http3)).as("code %d", code).isFalse();
			assertThat(Http3ErrorCodes.toApplicationCode(http3)).isEqualTo(code);
		}
		long[] samples = { 0x1d, 0x1e, 0x1f, 123456789L, 0xfffffffeL };
		for (long code : samples) {
			assertThat(Http3ErrorCodes.toApplicationCode(Http3ErrorCodes.fromApplicationCode(code))).isEqualTo(code);
		}
	}

	@Test
	void reservedAndOutsideCodesAreNotWebTransportCodes() {
		long reserved = Http3ErrorCodes.fromApplicationCode(0x1d) + 1;
		assertThat(Http3ErrorCodes.isReserved(reserved)).isTrue();
		assertThat(Http3ErrorCodes.toApplicationCode(reserved)).isEqualTo(-1);
		assertThat(Http3ErrorCodes.toApplicationCode(0x100)).isEqualTo(-1);
		assertThat(Http3ErrorCodes.toApplicationCode(Http3ErrorCodes.WT_APPLICATION_ERROR_LAST + 1)).isEqualTo(-1);
		assertThatIllegalArgumentException().isThrownBy(() -> Http3ErrorCodes.fromApplicationCode(0x100000000L));
	}

}
