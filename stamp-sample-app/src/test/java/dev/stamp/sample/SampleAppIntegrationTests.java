package dev.stamp.sample;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import dev.stamp.test.client.StampHttpTestClient;
import dev.stamp.test.client.StampTcpTestClient;
import dev.stamp.test.client.StampTcpTestConnection;
import dev.stamp.test.client.StampWebSocketTestClient;
import dev.stamp.test.client.StampWebSocketTestSession;
import dev.stamp.test.client.StampWebTransportTestClient;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The spec's examples against the running sample application, over real sockets on
 * 127.0.0.1, with the test clients of {@code @AutoConfigureStampClients} (see
 * {@link SampleAppTest}): plain sockets for TCP, the JDK's WebSocket and HTTP clients,
 * and Stamp's WebTransport client trusting the development certificate.
 */
@SampleAppTest
class SampleAppIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper json = JsonMapper.shared();

	@Autowired
	StampTcpTestClient tcp;

	@Autowired
	StampWebSocketTestClient webSocket;

	@Autowired
	StampHttpTestClient http;

	@Autowired
	StampWebTransportTestClient webTransport;

	@Value("${local.stamp.tcp.port}")
	int tcpPort;

	@Value("${local.stamp.websocket.port}")
	int websocketPort;

	@Value("${local.stamp.http.port}")
	int httpPort;

	@Value("${local.stamp.webtransport.port}")
	int webTransportPort;

	@Value("${local.stamp.webtransport.certificate-hash}")
	String webTransportCertificateHash;

	// TCP: the spec's "Simple TCP Echo Server"

	@Test
	void tcpEchoAnswersEachMessageOnTheSameConnection() {
		try (StampTcpTestConnection connection = this.tcp.connect()) {
			for (String message : List.of("Hello, Server!", "second message", "ünïcødé ✓")) {
				connection.send(message);
				assertThat(connection.readText(message.getBytes(StandardCharsets.UTF_8).length)).isEqualTo(message);
			}
		}
	}

	@Test
	void tcpEchoSendsEveryByteBackUntilTheClientCloses() throws Exception {
		// 256 KiB of random bytes, more than any socket buffer: written and read at the
		// same time, as a real client would, so neither side's buffers have to hold it
		// all.
		byte[] payload = new byte[256 * 1024];
		new Random(7070).nextBytes(payload);
		try (StampTcpTestConnection connection = this.tcp.connect()) {
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeInChunks(connection, payload, 3000));
			byte[] echoed = connection.read(payload.length);
			writer.get(10, TimeUnit.SECONDS);
			assertThat(echoed).isEqualTo(payload);
			connection.shutdownOutput();
			assertThat(connection.readEndOfStream()).as("the server closes once the client has closed its side")
				.isTrue();
		}
	}

	@Test
	void tcpEchoServesSeveralClientsAtOnce() {
		List<StampTcpTestConnection> connections = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				connections.add(this.tcp.connect());
			}
			// Every connection is open before any is answered: each has its own handler.
			for (int i = connections.size() - 1; i >= 0; i--) {
				String message = "client " + i;
				connections.get(i).send(message);
				assertThat(connections.get(i).readText(message.length())).isEqualTo(message);
			}
		}
		finally {
			connections.forEach(StampTcpTestConnection::close);
		}
	}

	// WebSocket: /echo and the spec's "WebSocket Chat Server"

	@Test
	void websocketEchoRepliesToTheSenderOnly() throws Exception {
		try (StampWebSocketTestSession first = this.webSocket.connect("/echo");
				StampWebSocketTestSession second = this.webSocket.connect("/echo")) {
			first.send("Hello");
			assertThat(first.nextText()).isEqualTo("Echo: Hello");
			// Had the echo gone to every client, it would have been written to the second
			// before its own reply, and a connection delivers in order.
			second.send("mine");
			assertThat(second.nextText()).as("the first client's echo never reached the second")
				.isEqualTo("Echo: mine");
			first.send("again");
			assertThat(first.nextText()).as("nor the second's the first").isEqualTo("Echo: again");
		}
	}

	@Test
	void chatSendsEveryMessageToEveryClientIncludingTheSender() throws Exception {
		List<StampWebSocketTestSession> clients = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				clients.add(this.webSocket.connect("/chat"));
			}
			// One sender at a time, so every client sees the same order.
			for (int i = 0; i < clients.size(); i++) {
				clients.get(i).send("hello from " + i);
				for (StampWebSocketTestSession client : clients) {
					assertThat(client.nextText()).isEqualTo("User: hello from " + i);
				}
			}
		}
		finally {
			clients.forEach(StampWebSocketTestSession::close);
		}
	}

	@Test
	void chatUsesTheNameAClientSetInsteadOfUser() throws Exception {
		try (StampWebSocketTestSession alice = this.webSocket.connect("/chat");
				StampWebSocketTestSession other = this.webSocket.connect("/chat")) {
			alice.send("/name   Alice  ");
			alice.send("hi all");
			// The name command itself is not broadcast: the first message everyone sees
			// is Alice's greeting.
			assertThat(other.nextText()).isEqualTo("Alice: hi all");
			assertThat(alice.nextText()).isEqualTo("Alice: hi all");
			other.send("hello Alice");
			assertThat(other.nextText()).isEqualTo("User: hello Alice");
			assertThat(alice.nextText()).isEqualTo("User: hello Alice");
		}
	}

	@Test
	void chatRoomsKeepTheirMessagesToThemselves() throws Exception {
		try (StampWebSocketTestSession kitchen = this.webSocket.connect("/chat/kitchen");
				StampWebSocketTestSession alsoKitchen = this.webSocket.connect("/chat/kitchen");
				StampWebSocketTestSession garden = this.webSocket.connect("/chat/garden")) {
			// The garden hears its own message first, so it is in its room before the
			// kitchen speaks: had rooms been shared, the kitchen's messages would reach
			// it.
			garden.send("morning");
			assertThat(garden.nextText()).isEqualTo("[garden] User: morning");
			kitchen.send("dinner?");
			kitchen.send("anyone?");
			assertThat(alsoKitchen.nextText()).isEqualTo("[kitchen] User: dinner?");
			// One message at a time per client: once the second arrives, the first was
			// handed to everyone it was going to reach.
			assertThat(alsoKitchen.nextText()).isEqualTo("[kitchen] User: anyone?");
			garden.send("sunny");
			assertThat(garden.nextText()).as("nothing from the kitchen came first").isEqualTo("[garden] User: sunny");
			assertThat(kitchen.nextText()).isEqualTo("[kitchen] User: dinner?");
		}
	}

	// WebTransport: /echo, with Stamp's Java client (the browser's view is
	// WebTransportBrowserTests)

	@Test
	void webTransportEchoesStreamsBothWaysAndDatagramsAndLogsHowTheSessionEnded() throws Exception {
		byte[] payload = new byte[100_000];
		new Random(4433).nextBytes(payload);
		WebTransportSession session = this.webTransport.connect("/echo");

		// Within the stream's receive window (1 MiB): the echo waits there until read.
		WebTransportStream bidi = session.openBidiStreamBlocking();
		bidi.send(Flux.just(payload)).block(WAIT);
		assertThat(StampWebTransportTestClient.readAll(bidi, WAIT)).isEqualTo(payload);

		session.openUniStream().flatMap((uni) -> uni.send(Flux.just(payload))).block(WAIT);
		WebTransportStream uniEcho = session.acceptUniStream(WAIT);
		assertThat(uniEcho).as("the server's unidirectional echo stream").isNotNull();
		assertThat(StampWebTransportTestClient.readAll(uniEcho, WAIT)).isEqualTo(payload);

		// Datagrams are unreliable: send again until the echo arrives.
		byte[] datagram = "datagram ✓".getBytes(StandardCharsets.UTF_8);
		byte[] echoed = null;
		for (int attempt = 0; attempt < 20 && echoed == null; attempt++) {
			session.sendDatagram(datagram).block(WAIT);
			echoed = session.receiveDatagram(Duration.ofMillis(500));
		}
		assertThat(echoed).isEqualTo(datagram);

		session.close(7, "done from java").block(WAIT);
		await().atMost(WAIT).untilAsserted(() -> assertThat(webTransportSessions()).anySatisfy((logged) -> {
			assertThat(logged).containsEntry("closeCode", 7).containsEntry("closeReason", "done from java");
			assertThat(logged).containsEntry("closedBy", "client").containsEntry("path", "/echo");
		}));
	}

	@Test
	void webTransportSessionLogKeepsOnlyTheLatestSessions() {
		int capacity = 20;
		for (int i = 0; i <= capacity; i++) {
			this.webTransport.connect("/echo").close(i, "session " + i).block(WAIT);
		}
		// Newest first, and the first of the 21 is gone (so is every session other tests
		// opened before).
		List<String> expected = new ArrayList<>();
		for (int i = capacity; i >= 1; i--) {
			expected.add("session " + i);
		}
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(webTransportSessions()).extracting((session) -> session.get("closeReason"))
				.isEqualTo(expected));
	}

	@Test
	void webTransportEchoAnswersTheSamePathOnlyOverWebTransport() {
		assertThatThrownBy(() -> this.webTransport.connect("/chat")).hasMessageContaining("status 404");
	}

	// HTTP: pages and the spec's "RESTful API"

	@Test
	void getApiDataReturnsTheDataAsJson() {
		HttpResponse<String> response = this.http.get("/api/data");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(json.readValue(response.body(), Map.class)).isEqualTo(Map.of("data", List.of(1, 2, 3)));
	}

	@Test
	void getApiDataItemTakesTheIndexFromThePath() throws Exception {
		HttpResponse<String> response = this.http.get("/api/data/2");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readValue(response.body(), Map.class)).isEqualTo(Map.of("index", 2, "value", 3));
		assertThat(this.http.get("/api/data/3").statusCode()).isEqualTo(404);
		assertThat(this.http.get("/api/data/x").statusCode()).isEqualTo(404);
	}

	@Test
	void postApiDataReturnsTheBodyItReceived() {
		String body = "{\"name\": \"stamp\", \"text\": \"ünïcødé\"}";
		HttpResponse<String> response = this.http.post("/api/data", "application/json; charset=UTF-8", body);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(json.readValue(response.body(), Map.class)).isEqualTo(Map.of("received", body));
	}

	@Test
	void apiDataAnswersOtherMethodsWith405AndTheAllowedOnes() {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(this.http.uri("/api/data")).PUT(BodyPublishers.ofString("x")).build());
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
	}

	@Test
	void homePageIsTheChatPageWiredToTheWebSocketListenersActualPort() {
		HttpResponse<String> response = this.http.get("/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(response.body()).contains("<title>Stamp chat</title>")
			.contains("<meta name=\"stamp-websocket-port\" content=\"" + this.websocketPort + "\">")
			.contains("<meta name=\"stamp-webtransport-port\" content=\"" + this.webTransportPort + "\">")
			.contains("<meta name=\"stamp-webtransport-certificate-hash\" content=\"" + this.webTransportCertificateHash
					+ "\">")
			// Without the cluster profile the page says it is the only node.
			.contains("<span id=\"node\" class=\"node\" data-clustered=\"false\">single node</span>")
			.doesNotContain("{{")
			// Self-contained: nothing is loaded from another host.
			.doesNotContain("http://")
			.doesNotContain("https://");
	}

	@Test
	void aboutPageListsThePortsTheApplicationListensOn() {
		HttpResponse<String> response = this.http.get("/about");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
		assertThat(response.body()).contains("<h1>About</h1>")
			.contains("<td id=\"http-port\">" + this.httpPort + "</td>")
			.contains("<td id=\"websocket-port\">" + this.websocketPort + "</td>")
			.contains("<td id=\"tcp-port\">" + this.tcpPort + "</td>")
			.contains("<td id=\"webtransport-port\">" + this.webTransportPort + "</td>");
	}

	@Test
	void stylesheetIsServedAsCss() {
		HttpResponse<String> response = this.http.get("/style.css");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/css; charset=UTF-8");
		assertThat(response.body()).contains(".messages");
	}

	@Test
	void unknownPathIs404() {
		assertThat(this.http.get("/contact").statusCode()).isEqualTo(404);
	}

	private List<Map<String, Object>> webTransportSessions() {
		HttpResponse<String> response = this.http.get("/api/webtransport/sessions");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		return json.readValue(response.body(), new TypeReference<>() {
		});
	}

	private static void writeInChunks(StampTcpTestConnection connection, byte[] payload, int chunkSize) {
		for (int offset = 0; offset < payload.length; offset += chunkSize) {
			connection.send(Arrays.copyOfRange(payload, offset, Math.min(offset + chunkSize, payload.length)));
		}
	}

}
