package com.example;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
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

@SpringBootTest(properties = { "stamp.tcp.port=0", "stamp.tcp.host=127.0.0.1", "stamp.websocket.port=0",
		"stamp.websocket.host=127.0.0.1", "stamp.http.port=0", "stamp.http.host=127.0.0.1", "stamp.webtransport.port=0",
		"stamp.webtransport.host=127.0.0.1" })
@AutoConfigureStampClients
class RoutesTests {

	@Autowired
	StampTcpTestClient tcp;

	@Autowired
	StampWebSocketTestClient webSocket;

	@Autowired
	StampHttpTestClient http;

	@Autowired
	StampWebTransportTestClient webTransport;

	@Test
	void tcpEchoes() {
		try (StampTcpTestConnection connection = this.tcp.connect()) {
			connection.send("Hello");
			assertThat(connection.readText(5)).isEqualTo("Hello");
		}
	}

	@Test
	void chatBroadcastsToEveryClient() throws Exception {
		try (StampWebSocketTestSession alice = this.webSocket.connect("/chat");
				StampWebSocketTestSession bob = this.webSocket.connect("/chat")) {
			alice.send("hi");
			assertThat(bob.nextText()).isEqualTo("User: hi");
			assertThat(alice.nextText()).isEqualTo("User: hi");
		}
	}

	@Test
	void dataIsJson() {
		HttpResponse<String> response = this.http.get("/api/data");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"data\":[1,2,3]}");
	}

	@Test
	void webTransportEchoesAStream() {
		WebTransportSession session = this.webTransport.connect("/echo");
		WebTransportStream stream = session.openBidiStreamBlocking();
		byte[] hello = "Hello".getBytes(StandardCharsets.UTF_8);
		stream.write(hello).then(stream.finish()).block();
		assertThat(StampWebTransportTestClient.readAll(stream, Duration.ofSeconds(10))).isEqualTo(hello);
		session.close(0, "done").block();
	}

}
