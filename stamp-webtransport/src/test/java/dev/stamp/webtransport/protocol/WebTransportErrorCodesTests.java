package dev.stamp.webtransport.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WebTransportErrorCodesTests {

	@Test
	void mapsTheEndsOfTheRange() {
		assertThat(WebTransportErrorCodes.toHttp3(0)).isEqualTo(0x52e4a40fa8dbL);
		assertThat(WebTransportErrorCodes.toHttp3(0xffffffffL)).isEqualTo(WebTransportErrorCodes.LAST);
		assertThat(WebTransportErrorCodes.fromHttp3(0x52e4a40fa8dbL)).isZero();
		assertThat(WebTransportErrorCodes.fromHttp3(WebTransportErrorCodes.LAST)).isEqualTo(0xffffffffL);
	}

	@Test
	void skipsReservedCodePointsAndRoundTrips() {
		for (long code = 0; code < 200; code++) {
			long http3 = WebTransportErrorCodes.toHttp3(code);
			assertThat(WebTransportErrorCodes.isReserved(http3)).as("code %d", code).isFalse();
			assertThat(WebTransportErrorCodes.fromHttp3(http3)).isEqualTo(code);
		}
		long[] samples = { 0x1d, 0x1e, 0x1f, 123456789L, 0xfffffffeL };
		for (long code : samples) {
			assertThat(WebTransportErrorCodes.fromHttp3(WebTransportErrorCodes.toHttp3(code))).isEqualTo(code);
		}
	}

	@Test
	void reservedAndOutsideCodesAreNotWebTransportCodes() {
		long reserved = WebTransportErrorCodes.toHttp3(0x1d) + 1;
		assertThat(WebTransportErrorCodes.isReserved(reserved)).isTrue();
		assertThat(WebTransportErrorCodes.fromHttp3(reserved)).isEqualTo(-1);
		assertThat(WebTransportErrorCodes.fromHttp3(0x100)).isEqualTo(-1);
		assertThat(WebTransportErrorCodes.fromHttp3(WebTransportErrorCodes.LAST + 1)).isEqualTo(-1);
		assertThatIllegalArgumentException().isThrownBy(() -> WebTransportErrorCodes.toHttp3(0x100000000L));
	}

}
