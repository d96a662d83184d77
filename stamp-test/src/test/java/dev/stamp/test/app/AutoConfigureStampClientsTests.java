package dev.stamp.test.app;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import dev.stamp.test.autoconfigure.AutoConfigureStampClients;
import dev.stamp.test.client.StampHttpTestClient;
import dev.stamp.test.client.StampTcpTestClient;
import dev.stamp.test.client.StampTcpTestConnection;
import dev.stamp.test.client.StampWebSocketTestClient;
import dev.stamp.test.client.StampWebSocketTestSession;
import dev.stamp.test.client.StampWebTransportTestClient;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every test client round-trips with its listener of a running application on port 0,
 * found through the port the listener published after the clients were created.
 */
@SpringBootTest(properties = { "stamp.tcp.port=0", "stamp.websocket.port=0", "stamp.http.port=0",
		"stamp.webtransport.port=0", "stamp.tcp.host=127.0.0.1", "stamp.websocket.host=127.0.0.1",
		"stamp.http.host=127.0.0.1", "stamp.webtransport.host=127.0.0.1" })
@AutoConfigureStampClients(timeout = "15s")
class AutoConfigureStampClientsTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Autowired
	StampTcpTestClient tcp;

	@Autowired
	StampWebSocketTestClient webSocket;

	@Autowired
	StampHttpTestClient http;

	@Autowired
	StampWebTransportTestClient webTransport;

	@Value("${local.stamp.http.port}")
	int httpPort;

	@Value("${stamp.test.clients.timeout}")
	String timeout;

	@Test
	void clientsUseThePortsTheListenersPublished() {
		assertThat(this.http.uri("/hello")).isEqualTo(URI.create("http://127.0.0.1:" + this.httpPort + "/hello"));
		assertThat(this.tcp.address().port()).isPositive();
		assertThat(this.webSocket.address().port()).isPositive().isNotEqualTo(this.httpPort);
		assertThat(this.webTransport.uri("/echo").getPort()).isPositive();
	}

	@Test
	void annotationTimeoutIsMappedToAProperty() {
		assertThat(this.timeout).isEqualTo("15s");
	}

	@Test
	void tcpClientSendsAndReadsExactlyAndSeesTheServerClose() {
		try (StampTcpTestConnection connection = this.tcp.connect()) {
			connection.send("Hello, ünïcødé");
			assertThat(connection.readText("Hello, ünïcødé".getBytes(StandardCharsets.UTF_8).length))
				.isEqualTo("Hello, ünïcødé");
			connection.send(new byte[] { 1, 2, 3 });
			assertThat(connection.read(3)).containsExactly(1, 2, 3);
			connection.shutdownOutput();
			assertThat(connection.readEndOfStream()).isTrue();
		}
	}

	@Test
	void webSocketClientRoundTripsTextAndBinaryAndReportsTheCloseCode() throws Exception {
		try (StampWebSocketTestSession session = this.webSocket.connect("/echo")) {
			session.send("Hello");
			assertThat(session.nextText()).isEqualTo("Echo: Hello");
			session.send("bye");
			assertThat(session.awaitClose()).isEqualTo(new StampWebSocketTestSession.CloseStatus(4000, "bye to you"));
		}
		try (StampWebSocketTestSession session = this.webSocket.connect("/reverse")) {
			session.send(new byte[] { 1, 2, 3 });
			assertThat(session.nextBinary()).containsExactly(3, 2, 1);
		}
	}

	@Test
	void webSocketClientReportsARefusedHandshake() {
		assertThat(this.webSocket.refusalStatus("/nowhere", Map.of())).isEqualTo(404);
		assertThatExceptionOfType(WebSocketHandshakeException.class)
			.isThrownBy(() -> this.webSocket.connect("/nowhere"))
			.satisfies((refused) -> assertThat(refused.getResponse().statusCode()).isEqualTo(404));
	}

	@Test
	void httpClientGetsPostsAndSendsAnyRequest() {
		HttpResponse<String> get = this.http.get("/hello?name=Stamp");
		assertThat(get.statusCode()).isEqualTo(200);
		assertThat(get.body()).isEqualTo("Hello, Stamp!");
		HttpResponse<String> post = this.http.post("/hello", "text/plain; charset=UTF-8", "ünïcødé");
		assertThat(post.body()).isEqualTo("Hello, ünïcødé!");
		HttpResponse<String> put = this.http.send(HttpRequest.newBuilder(this.http.uri("/hello"))
			.PUT(HttpRequest.BodyPublishers.ofString("PUT"))
			.build());
		assertThat(put.body()).isEqualTo("Hello, PUT!");
		assertThat(this.http.get("/nowhere").statusCode()).isEqualTo(404);
	}

	@Test
	void webTransportClientTrustsTheDevelopmentCertificateAndEchoesAStreamAndADatagram() throws Exception {
		WebTransportSession session = this.webTransport.connect("/echo");
		try {
			byte[] payload = "over QUIC ✓".getBytes(StandardCharsets.UTF_8);
			WebTransportStream stream = session.openBidiStreamBlocking();
			stream.write(payload).then(stream.finish()).block(WAIT);
			assertThat(StampWebTransportTestClient.readAll(stream, WAIT)).isEqualTo(payload);
			// Datagrams are unreliable: send again until the echo arrives.
			byte[] echoed = null;
			for (int attempt = 0; attempt < 20 && echoed == null; attempt++) {
				session.sendDatagram(payload).block(WAIT);
				echoed = session.receiveDatagram(Duration.ofMillis(500));
			}
			assertThat(echoed).isEqualTo(payload);
		}
		finally {
			session.close(0, "done").block(WAIT);
		}
	}

	@Test
	void webTransportClientReportsARefusedSession() {
		assertThatThrownBy(() -> this.webTransport.connect("/nowhere")).hasMessageContaining("status 404");
	}

}
