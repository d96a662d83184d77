package dev.stamp.webtransport.internal;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RequestHeaders}: the compact copy reads as the map of lists it stands
 * for.
 */
class RequestHeadersTests {

	private static Http3Headers connect() {
		return new DefaultHttp3Headers(false).method("CONNECT")
			.protocol("webtransport")
			.scheme("https")
			.authority("example.com:4433")
			.path("/chat?room=1")
			.add("X-Repeated", "one")
			.add("origin", "https://example.com")
			.add("x-repeated", "two");
	}

	@Test
	void readsAsAMapOfLowerCaseNamesToEveryValueInOrder() {
		RequestHeaders headers = RequestHeaders.copyOf(connect());
		assertThat(headers)
			.isEqualTo(Map.of(":method", List.of("CONNECT"), ":protocol", List.of("webtransport"), ":scheme",
					List.of("https"), ":authority", List.of("example.com:4433"), ":path", List.of("/chat?room=1"),
					"x-repeated", List.of("one", "two"), "origin", List.of("https://example.com")));
		assertThat(headers).hasSize(7);
		assertThat(headers.keySet()).containsExactly(":method", ":protocol", ":scheme", ":authority", ":path",
				"x-repeated", "origin");
		assertThat(headers.get("x-repeated")).containsExactly("one", "two");
		assertThat(headers.get("X-Repeated")).isNull();
		assertThat(headers.containsKey("origin")).isTrue();
		assertThat(headers.containsKey("referer")).isFalse();
		assertThat(headers.first("x-repeated")).isEqualTo("one");
		assertThat(headers.first(":authority")).isEqualTo("example.com:4433");
		assertThat(headers.first("referer")).isNull();
	}

	@Test
	void isReadOnly() {
		RequestHeaders headers = RequestHeaders.copyOf(connect());
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> headers.put("x-new", List.of("value")));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> headers.get("x-repeated").add("three"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> headers.entrySet().iterator().next().setValue(List.of()));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> headers.remove(":path"));
		assertThat(headers).hasSize(7);
	}

	@Test
	void sharesTheNamesAndValuesEveryConnectCarries() {
		// As from the QPACK decoder: a new CharSequence for every name and value.
		RequestHeaders first = RequestHeaders.copyOf(decoded());
		RequestHeaders second = RequestHeaders.copyOf(decoded());
		assertThat(first.first(":method")).isEqualTo("CONNECT").isSameAs(second.first(":method"));
		assertThat(first.first(":protocol")).isEqualTo("webtransport").isSameAs(second.first(":protocol"));
		assertThat(first.keySet()).containsExactly(":method", ":protocol", ":authority", "x-custom");
		assertThat(first.keySet().iterator().next()).isSameAs(second.keySet().iterator().next());
		assertThat(first.first(":authority")).isEqualTo(second.first(":authority"))
			.isNotSameAs(second.first(":authority"));
	}

	private static Http3Headers decoded() {
		return new DefaultHttp3Headers(false).add(new AsciiString(":method"), new AsciiString("CONNECT"))
			.add(new AsciiString(":protocol"), new AsciiString("webtransport"))
			.add(new AsciiString(":authority"), new AsciiString("example.com"))
			.add(new AsciiString("x-custom"), new AsciiString("value"));
	}

	@Test
	void noHeadersIsAnEmptyMap() {
		RequestHeaders headers = RequestHeaders.copyOf(new DefaultHttp3Headers());
		assertThat(headers).isEmpty();
		assertThat(headers.get(":path")).isNull();
	}

}
