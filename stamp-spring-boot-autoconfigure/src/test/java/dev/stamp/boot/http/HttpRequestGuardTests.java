package dev.stamp.boot.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import dev.stamp.core.PeerErrors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpRequestGuard} on a plain Reactor Netty server, as another listener
 * (WebSocket) installs it.
 */
class HttpRequestGuardTests {

	@Test
	void connectionUpgradedToWebSocketLeavesTheGuardAndItsDeadlinesBehind() throws Exception {
		PeerErrors peerErrors = new PeerErrors("test listener");
		HttpRequestLimits limits = new HttpRequestLimits(Duration.ofMillis(300), Duration.ofMillis(300));
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.doOnChannelInit((observer, channel, remoteAddress) -> HttpRequestGuard.install(channel.pipeline(), limits,
					peerErrors))
			.handle((request, response) -> response.sendWebsocket((in, out) -> out.sendString(in.receive().asString())))
			.bindNow();
		try {
			BlockingQueue<String> received = new LinkedBlockingQueue<>();
			WebSocket webSocket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), new WebSocket.Listener() {

					@Override
					public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
						received.add(data.toString());
						socket.request(1);
						return null;
					}

				})
				.get(10, TimeUnit.SECONDS);
			webSocket.sendText("one", true).get(10, TimeUnit.SECONDS);
			assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("one");
			// Frames are not a request head: no header deadline may run out on them.
			Thread.sleep(1_000);
			webSocket.sendText("two", true).get(10, TimeUnit.SECONDS);
			assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("two");
			assertThat(peerErrors.total()).isZero();
			webSocket.abort();
		}
		finally {
			server.disposeNow();
		}
	}

}
