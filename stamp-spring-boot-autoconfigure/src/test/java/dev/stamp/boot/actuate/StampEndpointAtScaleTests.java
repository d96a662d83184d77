package dev.stamp.boot.actuate;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpListener;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.listener.ConnectionPage;
import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.boot.websocket.WebSocketListener;
import dev.stamp.boot.webtransport.WebTransportListener;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code stamp} endpoint with many real connections: the top level stays the same
 * size, and the paged {@code connections} part lists each connection exactly once.
 */
class StampEndpointAtScaleTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final HttpClient webSocketClient = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private final ApplicationContextRunner runner = StampContextRunner.create()
		.withConfiguration(AutoConfigurations.of(StampActuatorAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=stamp");

	@Test
	void topLevelDoesNotGrowWithWebSocketConnectionsWhilePagesListEachOnce() {
		this.runner.withUserConfiguration(WebSocketRoutes.class).run((context) -> {
			StampEndpoint endpoint = context.getBean(StampEndpoint.class);
			WebSocketListener listener = context.getBean(WebSocketListener.class);
			URI url = URI.create("ws://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.WEBSOCKET) + "/ws");
			// The clients stay connected until the context closes: the listener's
			// graceful stop then sends each a close frame that it answers.
			List<WebSocket> clients = new ArrayList<>();
			clients.addAll(openWebSockets(url, 10));
			awaitActiveConnections(listener, 10);
			int withTen = json(endpoint.stamp()).length();
			clients.addAll(openWebSockets(url, 290));
			awaitActiveConnections(listener, 300);
			int withThreeHundred = json(endpoint.stamp()).length();
			// Counters gain a digit; one entry per connection would add kilobytes.
			assertThat(withThreeHundred - withTen).as("growth from 10 to 300 connections, in bytes").isLessThan(50);
			List<Map<String, Object>> walked = walk(endpoint, "websocket", 64);
			assertThat(walked).hasSize(300);
			assertThat(walked).extracting((connection) -> connection.get("id")).doesNotHaveDuplicates();
		});
	}

	@Test
	void topLevelDoesNotGrowWithWebTransportSessionsWhilePagesListEachWithItsSessions() {
		this.runner.withPropertyValues("stamp.webtransport.echo-path=/echo").run((context) -> {
			StampEndpoint endpoint = context.getBean(StampEndpoint.class);
			WebTransportListener listener = context.getBean(WebTransportListener.class);
			try (WebTransportClient client = client(context)) {
				// Each session on a QUIC connection of its own: a handshake each, so
				// fewer than with WebSocket, but enough that one entry per session would
				// show.
				assertThat(connect(client, context, 5)).hasSize(5);
				awaitActiveSessions(listener, 5);
				int withFive = json(endpoint.stamp()).length();
				assertThat(connect(client, context, 35)).hasSize(35);
				awaitActiveSessions(listener, 40);
				int withForty = json(endpoint.stamp()).length();
				assertThat(withForty - withFive).as("growth from 5 to 40 sessions, in bytes").isLessThan(50);
				List<Map<String, Object>> walked = walk(endpoint, "webtransport", 16);
				assertThat(walked).hasSize(40);
				assertThat(walked).extracting((connection) -> connection.get("id")).doesNotHaveDuplicates();
				assertThat(walked)
					.allSatisfy((connection) -> assertThat((List<?>) connection.get("sessions")).singleElement()
						.asString()
						.contains("path=/echo"));
			}
		});
	}

	@Test
	void pagesListEveryConnectionOpenForTheWholeWalkExactlyOnce() {
		this.runner.withUserConfiguration(HttpRoutes.class).run((context) -> {
			StampEndpoint endpoint = context.getBean(StampEndpoint.class);
			HttpListener listener = context.getBean(HttpListener.class);
			int port = StampContextRunner.port(context, StampProtocol.HTTP);
			List<Socket> sockets = new ArrayList<>();
			try {
				for (int i = 0; i < 25; i++) {
					sockets.add(new Socket("127.0.0.1", port));
				}
				awaitActiveConnections(listener, 25);
				ConnectionPage first = endpoint.connections("http", "connections", 10, null);
				assertThat(first.connections()).hasSize(10);
				assertThat(first.next()).isNotNull();
				Set<Integer> seen = new HashSet<>(clientPorts(first.connections()));
				Socket alreadyListed = bySocketPort(sockets, first.connections().get(3));
				Socket notYetListed = sockets.stream()
					.filter((socket) -> !seen.contains(socket.getLocalPort()))
					.findFirst()
					.orElseThrow();
				alreadyListed.close();
				notYetListed.close();
				sockets.removeAll(List.of(alreadyListed, notYetListed));
				awaitActiveConnections(listener, 23);
				Socket late = new Socket("127.0.0.1", port);
				sockets.add(late);
				awaitActiveConnections(listener, 24);

				List<Map<String, Object>> rest = new ArrayList<>();
				Long after = first.next();
				while (after != null) {
					ConnectionPage page = endpoint.connections("http", "connections", 10, after);
					rest.addAll(page.connections());
					after = page.next();
				}
				List<Integer> walked = new ArrayList<>(clientPorts(first.connections()));
				walked.addAll(clientPorts(rest));
				assertThat(walked).doesNotHaveDuplicates()
					.doesNotContain(notYetListed.getLocalPort())
					.contains(late.getLocalPort());
				assertThat(walked).containsAll(sockets.stream().map(Socket::getLocalPort).toList());
				assertThat(endpoint.connections("http", "nonsense", null, null)).isNull();
				assertThat(endpoint.connections("nonsense", "connections", null, null)).isNull();
			}
			finally {
				for (Socket socket : sockets) {
					socket.close();
				}
			}
		});
	}

	private static List<Map<String, Object>> walk(StampEndpoint endpoint, String protocol, int limit) {
		List<Map<String, Object>> walked = new ArrayList<>();
		Long after = null;
		do {
			ConnectionPage page = endpoint.connections(protocol, "connections", limit, after);
			assertThat(page.connections()).hasSizeLessThanOrEqualTo(limit);
			walked.addAll(page.connections());
			after = page.next();
		}
		while (after != null);
		return walked;
	}

	private static List<Integer> clientPorts(List<Map<String, Object>> connections) {
		Function<Map<String, Object>, Integer> port = (connection) -> {
			String address = (String) connection.get("remoteAddress");
			return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
		};
		return connections.stream().map(port).toList();
	}

	private static Socket bySocketPort(List<Socket> sockets, Map<String, Object> connection) {
		int port = clientPorts(List.of(connection)).get(0);
		return sockets.stream().filter((socket) -> socket.getLocalPort() == port).findFirst().orElseThrow();
	}

	private static List<WebTransportSession> connect(WebTransportClient client, AssertableApplicationContext context,
			int count) {
		URI url = URI
			.create("https://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.WEBTRANSPORT) + "/echo");
		return Flux.range(0, count).flatMap((i) -> client.connect(url), 8).collectList().block(TIMEOUT);
	}

	private static WebTransportClient client(AssertableApplicationContext context) {
		String hash = context.getEnvironment().getProperty(WebTransportListener.CERTIFICATE_HASH_PROPERTY);
		return WebTransportClient.builder().trustCertificateHash(Base64.getDecoder().decode(hash)).build();
	}

	private static void awaitActiveSessions(WebTransportListener listener, long count) {
		Awaitility.await()
			.atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(listener.counters()).containsEntry("sessions.active", count));
	}

	private static List<WebSocket> openWebSockets(URI url, int count) {
		List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			opening.add(webSocketClient.newWebSocketBuilder().buildAsync(url, new WebSocket.Listener() {
			}));
		}
		return opening.stream().map(CompletableFuture::join).toList();
	}

	private static void awaitActiveConnections(StampListener listener, int count) {
		Awaitility.await()
			.atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(listener.stats().activeConnections()).isEqualTo(count));
	}

	private static String json(Object value) {
		return JsonMapper.shared().writeValueAsString(value);
	}

	@Configuration(proxyBeanMethods = false)
	static class WebSocketRoutes {

		@StampRoute("/ws")
		void chat(WebSocketConnection connection, String message) {
			connection.send(message);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HttpRoutes {

		@StampRoute(path = "/", method = HttpMethod.GET)
		String home(HttpRequest request) throws IOException {
			return "home";
		}

	}

}
