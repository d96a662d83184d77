package dev.stamp.boot.websocket;

import java.util.Base64;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.stamp.boot.http.PlainResponses;

/**
 * The opening-handshake requirements of RFC 6455 4.2.1 that Netty's handshaker does not
 * answer itself: without this check a request missing its key fails with an exception and
 * the connection closes without a word. A request that does not qualify gets 400 with a
 * short reason, or 426 naming the one version spoken.
 */
final class WebSocketHandshakeCheck {

	static final String SUPPORTED_VERSION = "13";

	private static final int KEY_LENGTH = 16;

	private WebSocketHandshakeCheck() {
	}

	/**
	 * Checks an upgrade request.
	 * @param request a request that asks for {@code Upgrade: websocket}
	 * @return why it is refused, or {@code null} if it is a valid handshake
	 */
	static Refusal check(HttpServerRequest request) {
		if (request.version().compareTo(HttpVersion.HTTP_1_1) < 0) {
			return badRequest("WebSocket handshake needs HTTP/1.1");
		}
		if (!HttpMethod.GET.equals(request.method())) {
			return badRequest("WebSocket handshake must be a GET request");
		}
		HttpHeaders headers = request.requestHeaders();
		if (!headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)) {
			return badRequest("WebSocket handshake needs Connection: Upgrade");
		}
		String version = headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
		if (version == null) {
			return badRequest("WebSocket handshake needs Sec-WebSocket-Version");
		}
		if (!SUPPORTED_VERSION.equals(version.trim())) {
			return new Refusal(HttpResponseStatus.UPGRADE_REQUIRED, "Unsupported WebSocket version");
		}
		if (!isValidKey(headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
			return badRequest("WebSocket handshake needs a Sec-WebSocket-Key of 16 bytes in base64");
		}
		return null;
	}

	private static boolean isValidKey(String key) {
		if (key == null) {
			return false;
		}
		try {
			return Base64.getDecoder().decode(key.trim()).length == KEY_LENGTH;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static Refusal badRequest(String reason) {
		return new Refusal(HttpResponseStatus.BAD_REQUEST, reason);
	}

	/**
	 * Why a handshake is refused: the status and the one-line reason sent as body.
	 *
	 * @param status the HTTP status of the answer
	 * @param reason the one-line reason, sent as the body
	 */
	record Refusal(HttpResponseStatus status, String reason) {

		/**
		 * Answers the request and closes the connection, which is no use for anything
		 * else.
		 * @param response the handshake's response
		 * @return completes when the answer is written
		 */
		Mono<Void> send(HttpServerResponse response) {
			if (this.status == HttpResponseStatus.UPGRADE_REQUIRED) {
				response.header(HttpHeaderNames.SEC_WEBSOCKET_VERSION, SUPPORTED_VERSION);
			}
			return PlainResponses.send(response, this.status, this.reason, true);
		}

	}

}
