package dev.stamp.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The spec's examples against the running sample application, over real sockets on
 * 127.0.0.1: JDK {@link Socket} for TCP, JDK {@link java.net.http.WebSocket} for
 * WebSocket, the JDK {@link HttpClient} for HTTP and Stamp's {@link WebTransportClient}
 * for WebTransport.
 */
@SampleAppTest
class SampleAppIntegrationTests {

	private static final int SOCKET_TIMEOUT_MILLIS = 10_000;

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static final JsonMapper json = JsonMapper.shared();

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
	void tcpEchoAnswersEachMessageOnTheSameConnection() throws IOException {
		try (Socket socket = connectTcp()) {
			for (String message : List.of("Hello, Server!", "second message", "ünïcødé ✓")) {
				byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
				socket.getOutputStream().write(bytes);
				assertThat(new String(readExactly(socket.getInputStream(), bytes.length), StandardCharsets.UTF_8))
					.isEqualTo(message);
			}
		}
	}

	@Test
	void tcpEchoSendsEveryByteBackUntilTheClientCloses() throws Exception {
		// 256 KiB of random bytes, more than any socket buffer: written and read at the
		// same time, as a real client
		// would, so neither side's buffers have to hold it all.
		byte[] payload = new byte[256 * 1024];
		new Random(7070).nextBytes(payload);
		try (Socket socket = connectTcp()) {
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeInChunks(socket, payload, 3000));
			byte[] echoed = readExactly(socket.getInputStream(), payload.length);
			writer.get(10, TimeUnit.SECONDS);
			assertThat(echoed).isEqualTo(payload);
			socket.shutdownOutput();
			assertThat(socket.getInputStream().read()).as("the server closes once the client has closed its side")
				.isEqualTo(-1);
		}
	}

	@Test
	void tcpEchoServesSeveralClientsAtOnce() throws IOException {
		List<Socket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				sockets.add(connectTcp());
			}
			// Every connection is open before any is answered: each has its own handler.
			for (int i = sockets.size() - 1; i >= 0; i--) {
				byte[] message = ("client " + i).getBytes(StandardCharsets.US_ASCII);
				sockets.get(i).getOutputStream().write(message);
				assertThat(readExactly(sockets.get(i).getInputStream(), message.length)).isEqualTo(message);
			}
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
		}
	}

	// WebSocket: /echo and the spec's "WebSocket Chat Server"

	@Test
	void websocketEchoRepliesToTheSenderOnly() throws InterruptedException {
		try (TextWebSocketClient client = TextWebSocketClient.connect(http, this.websocketPort, "/echo")) {
			client.send("Hello");
			assertThat(client.next()).isEqualTo("Echo: Hello");
			client.send("again");
			assertThat(client.next()).isEqualTo("Echo: again");
		}
	}

	@Test
	void chatSendsEveryMessageToEveryClientIncludingTheSender() throws InterruptedException {
		List<TextWebSocketClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				clients.add(TextWebSocketClient.connect(http, this.websocketPort, "/chat"));
			}
			// One sender at a time, so every client sees the same order.
			for (int i = 0; i < clients.size(); i++) {
				clients.get(i).send("hello from " + i);
				for (TextWebSocketClient client : clients) {
					assertThat(client.next()).isEqualTo("User: hello from " + i);
				}
			}
		}
		finally {
			clients.forEach(TextWebSocketClient::close);
		}
	}

	@Test
	void chatUsesTheNameAClientSetInsteadOfUser() throws InterruptedException {
		try (TextWebSocketClient alice = TextWebSocketClient.connect(http, this.websocketPort, "/chat");
				TextWebSocketClient other = TextWebSocketClient.connect(http, this.websocketPort, "/chat")) {
			alice.send("/name   Alice  ");
			alice.send("hi all");
			// The name command itself is not broadcast: the first message everyone sees
			// is Alice's greeting.
			assertThat(other.next()).isEqualTo("Alice: hi all");
			assertThat(alice.next()).isEqualTo("Alice: hi all");
			other.send("hello Alice");
			assertThat(other.next()).isEqualTo("User: hello Alice");
			assertThat(alice.next()).isEqualTo("User: hello Alice");
		}
	}

	@Test
	void chatRoomsKeepTheirMessagesToThemselves() throws InterruptedException {
		try (TextWebSocketClient kitchen = TextWebSocketClient.connect(http, this.websocketPort, "/chat/kitchen");
				TextWebSocketClient alsoKitchen = TextWebSocketClient.connect(http, this.websocketPort,
						"/chat/kitchen");
				TextWebSocketClient garden = TextWebSocketClient.connect(http, this.websocketPort, "/chat/garden")) {
			kitchen.send("dinner?");
			kitchen.send("anyone?");
			assertThat(alsoKitchen.next()).isEqualTo("[kitchen] User: dinner?");
			// One message at a time per client: once the second arrives, the first was
			// handed to everyone it was going to reach.
			assertThat(alsoKitchen.next()).isEqualTo("[kitchen] User: anyone?");
			garden.send("sunny");
			assertThat(garden.next()).as("nothing from the kitchen came first").isEqualTo("[garden] User: sunny");
			assertThat(kitchen.next()).isEqualTo("[kitchen] User: dinner?");
		}
	}

	// WebTransport: /echo, with Stamp's Java client (the browser's view is
	// WebTransportBrowserTests)

	@Test
	void webTransportEchoesStreamsBothWaysAndDatagramsAndLogsHowTheSessionEnded() throws Exception {
		byte[] payload = new byte[100_000];
		new Random(4433).nextBytes(payload);
		try (WebTransportClient client = webTransportClient()) {
			WebTransportSession session = client
				.connect(URI.create("https://127.0.0.1:" + this.webTransportPort + "/echo"))
				.block(WAIT);

			WebTransportStream bidi = session.openBidiStream().block(WAIT);
			Mono<byte[]> bidiEcho = collect(bidi.receive());
			bidi.send(Flux.just(payload)).block(WAIT);
			assertThat(bidiEcho.block(WAIT)).isEqualTo(payload);

			Mono<byte[]> uniEcho = session.acceptedUniStreams().next().flatMap((in) -> collect(in.receive()));
			session.openUniStream().flatMap((uni) -> uni.send(Flux.just(payload))).block(WAIT);
			assertThat(uniEcho.block(WAIT)).isEqualTo(payload);

			// Datagrams are unreliable: send again until the echo arrives.
			byte[] datagram = "datagram ✓".getBytes(StandardCharsets.UTF_8);
			byte[] echoed = null;
			for (int attempt = 0; attempt < 20 && echoed == null; attempt++) {
				session.sendDatagram(datagram).block(WAIT);
				echoed = session.receiveDatagram(Duration.ofMillis(500));
			}
			assertThat(echoed).isEqualTo(datagram);

			session.close(7, "done from java").block(WAIT);
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(webTransportSessions()).anySatisfy((session) -> {
			assertThat(session).containsEntry("closeCode", 7).containsEntry("closeReason", "done from java");
			assertThat(session).containsEntry("closedBy", "client").containsEntry("path", "/echo");
		}));
	}

	@Test
	void webTransportSessionLogKeepsOnlyTheLatestSessions() throws Exception {
		int capacity = 20;
		try (WebTransportClient client = webTransportClient()) {
			for (int i = 0; i <= capacity; i++) {
				WebTransportSession session = client
					.connect(URI.create("https://127.0.0.1:" + this.webTransportPort + "/echo"))
					.block(WAIT);
				session.close(i, "session " + i).block(WAIT);
			}
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
	void webTransportEchoAnswersTheSamePathOnlyOverWebTransport() throws Exception {
		try (WebTransportClient client = webTransportClient()) {
			assertThatThrownBy(() -> client.connect(URI.create("https://127.0.0.1:" + this.webTransportPort + "/chat"))
				.block(WAIT)).hasMessageContaining("status 404");
		}
	}

	// HTTP: pages and the spec's "RESTful API"

	@Test
	void getApiDataReturnsTheDataAsJson() throws Exception {
		HttpResponse<String> response = get("/api/data");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(json.readValue(response.body(), Map.class)).isEqualTo(Map.of("data", List.of(1, 2, 3)));
	}

	@Test
	void getApiDataItemTakesTheIndexFromThePath() throws Exception {
		HttpResponse<String> response = get("/api/data/2");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readValue(response.body(), Map.class)).isEqualTo(Map.of("index", 2, "value", 3));
		assertThat(get("/api/data/3").statusCode()).isEqualTo(404);
		assertThat(get("/api/data/x").statusCode()).isEqualTo(404);
	}

	@Test
	void postApiDataReturnsTheBodyItReceived() throws Exception {
		String body = "{\"name\": \"stamp\", \"text\": \"ünïcødé\"}";
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/data"))
			.header("Content-Type", "application/json; charset=UTF-8")
			.POST(BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(json.readValue(response.body(), Map.class)).isEqualTo(Map.of("received", body));
	}

	@Test
	void apiDataAnswersOtherMethodsWith405AndTheAllowedOnes() throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(uri("/api/data")).PUT(BodyPublishers.ofString("x")).build(),
				BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
	}

	@Test
	void homePageIsTheChatPageWiredToTheWebSocketListenersActualPort() throws Exception {
		HttpResponse<String> response = get("/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(response.body()).contains("<title>Stamp chat</title>")
			.contains("<meta name=\"stamp-websocket-port\" content=\"" + this.websocketPort + "\">")
			.contains("<meta name=\"stamp-webtransport-port\" content=\"" + this.webTransportPort + "\">")
			.contains("<meta name=\"stamp-webtransport-certificate-hash\" content=\"" + this.webTransportCertificateHash
					+ "\">")
			.doesNotContain("{{")
			// Self-contained: nothing is loaded from another host.
			.doesNotContain("http://")
			.doesNotContain("https://");
	}

	@Test
	void aboutPageListsThePortsTheApplicationListensOn() throws Exception {
		HttpResponse<String> response = get("/about");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
		assertThat(response.body()).contains("<h1>About</h1>")
			.contains("<td id=\"http-port\">" + this.httpPort + "</td>")
			.contains("<td id=\"websocket-port\">" + this.websocketPort + "</td>")
			.contains("<td id=\"tcp-port\">" + this.tcpPort + "</td>")
			.contains("<td id=\"webtransport-port\">" + this.webTransportPort + "</td>");
	}

	@Test
	void stylesheetIsServedAsCss() throws Exception {
		HttpResponse<String> response = get("/style.css");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/css; charset=UTF-8");
		assertThat(response.body()).contains(".messages");
	}

	@Test
	void unknownPathIs404() throws Exception {
		assertThat(get("/contact").statusCode()).isEqualTo(404);
	}

	/**
	 * Stamp's Java client, trusting the development certificate by its hash, as a browser
	 * does.
	 */
	private WebTransportClient webTransportClient() {
		return WebTransportClient.builder()
			.trustCertificateHash(Base64.getDecoder().decode(this.webTransportCertificateHash))
			.build();
	}

	private List<Map<String, Object>> webTransportSessions() throws Exception {
		HttpResponse<String> response = get("/api/webtransport/sessions");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		return json.readValue(response.body(), new TypeReference<>() {
		});
	}

	private static Mono<byte[]> collect(Flux<byte[]> chunks) {
		return chunks.collect(ByteArrayOutputStream::new, (out, chunk) -> out.write(chunk, 0, chunk.length))
			.map(ByteArrayOutputStream::toByteArray);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
				BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

	private Socket connectTcp() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", this.tcpPort), SOCKET_TIMEOUT_MILLIS);
		socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
		return socket;
	}

	private static void writeInChunks(Socket socket, byte[] payload, int chunkSize) {
		try {
			OutputStream out = socket.getOutputStream();
			for (int offset = 0; offset < payload.length; offset += chunkSize) {
				out.write(payload, offset, Math.min(chunkSize, payload.length - offset));
			}
			out.flush();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] readExactly(InputStream in, int length) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream(length);
		byte[] buffer = new byte[8192];
		while (read.size() < length) {
			int n = in.read(buffer, 0, Math.min(buffer.length, length - read.size()));
			if (n < 0) {
				throw new AssertionError("Connection closed after " + read.size() + " of " + length + " bytes");
			}
			read.write(buffer, 0, n);
		}
		return read.toByteArray();
	}

}
