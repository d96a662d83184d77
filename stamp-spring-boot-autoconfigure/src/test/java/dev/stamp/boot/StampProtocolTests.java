package dev.stamp.boot;

import java.lang.reflect.Method;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.tcp.ReactiveTcpConnection;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.webtransport.WebTransportSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link StampProtocol#inferFrom} tells a route's protocol from its parameter types.
 */
class StampProtocolTests {

	@Test
	void eachProtocolsParameterTypeIdentifiesIt() {
		assertThat(StampProtocol.inferFrom(method("tcp"))).isEqualTo(StampProtocol.TCP);
		assertThat(StampProtocol.inferFrom(method("reactiveTcp"))).isEqualTo(StampProtocol.TCP);
		assertThat(StampProtocol.inferFrom(method("websocket"))).isEqualTo(StampProtocol.WEBSOCKET);
		assertThat(StampProtocol.inferFrom(method("http"))).isEqualTo(StampProtocol.HTTP);
		assertThat(StampProtocol.inferFrom(method("webtransport"))).isEqualTo(StampProtocol.WEBTRANSPORT);
	}

	@Test
	void parametersOfNoProtocolLeaveItToBeDeclared() {
		assertThat(StampProtocol.inferFrom(method("plain"))).isEqualTo(StampProtocol.INFERRED);
	}

	@Test
	void parametersOfTwoProtocolsAreRefused() {
		assertThatIllegalStateException().isThrownBy(() -> StampProtocol.inferFrom(method("mixed")))
			.withMessageContaining("mixes TCP and HTTP");
	}

	private static Method method(String name) {
		return Arrays.stream(Routes.class.getDeclaredMethods())
			.filter((method) -> method.getName().equals(name))
			.findFirst()
			.orElseThrow();
	}

	@SuppressWarnings("unused")
	static class Routes {

		void tcp(TcpConnection connection) {
		}

		void reactiveTcp(ReactiveTcpConnection connection) {
		}

		void websocket(WebSocketConnection connection, String message) {
		}

		void http(HttpRequest request) {
		}

		void webtransport(WebTransportSession session) {
		}

		void plain(String input) {
		}

		void mixed(TcpConnection connection, HttpRequest request) {
		}

	}

}
