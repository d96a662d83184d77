package dev.stamp.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.stamp.test.autoconfigure.AutoConfigureStampClients;
import dev.stamp.test.client.StampTcpTestClient;
import dev.stamp.test.client.StampTcpTestConnection;
import dev.stamp.test.client.StampWebSocketTestClient;
import dev.stamp.test.client.StampWebSocketTestSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stamp in the sample app's Actuator, over Spring's own web server: the {@code stamp}
 * health component with every listener and the monitor's verdict, the {@code stamp}
 * endpoint with its paged connections and limited alerts and history, and the listener
 * meters.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "stamp.tcp.port=0", "stamp.tcp.host=127.0.0.1",
				"stamp.websocket.port=0", "stamp.websocket.host=127.0.0.1", "stamp.http.port=0",
				"stamp.http.host=127.0.0.1", "stamp.webtransport.port=0", "stamp.webtransport.host=127.0.0.1" })
@AutoConfigureStampClients
class ActuatorTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Autowired
	StampTcpTestClient tcp;

	@Autowired
	StampWebSocketTestClient webSocket;

	@Test
	void healthShowsEveryStampListenerUp() throws Exception {
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		JsonNode stamp = JsonMapper.shared().readTree(health.body()).path("components").path("stamp");
		assertThat(stamp.path("status").asString()).isEqualTo("UP");
		for (String protocol : new String[] { "tcp", "websocket", "http", "webtransport" }) {
			assertThat(stamp.path("details").path(protocol).path("status").asString()).as(protocol)
				.isEqualTo("listening");
		}
		assertThat(stamp.path("details").path("monitor").path("state").asString()).isEqualTo("healthy");
	}

	@Test
	void connectionsArePagedAndAlertsAndHistoryTakeALimit() throws Exception {
		try (StampTcpTestConnection first = this.tcp.connect(); StampTcpTestConnection second = this.tcp.connect()) {
			Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				JsonNode page = JsonMapper.shared().readTree(get("/actuator/stamp/tcp/connections?limit=1").body());
				assertThat(page.path("connections")).hasSize(1);
				JsonNode next = JsonMapper.shared()
					.readTree(
							get("/actuator/stamp/tcp/connections?limit=1&after=" + page.path("next").asLong()).body());
				assertThat(next.path("connections")).hasSize(1);
				assertThat(next.path("connections").get(0).path("id").asLong())
					.isGreaterThan(page.path("connections").get(0).path("id").asLong());
			});
		}
		assertThat(get("/actuator/stamp/nonsense/connections").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/stamp/history?limit=1").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/stamp/alerts?limit=0").statusCode()).isEqualTo(400);
	}

	@Test
	void stampEndpointListsListenersRoutesAndTheMonitor() throws Exception {
		HttpResponse<String> stamp = get("/actuator/stamp");
		assertThat(stamp.statusCode()).isEqualTo(200);
		assertThat(stamp.body()).contains("\"webtransport\":{\"running\":true")
			.contains("/chat -> ")
			.contains("\"monitor\":{\"state\":")
			.contains("developmentCertificateSha256");
		assertThat(get("/actuator/stamp/websocket").body()).contains("\"running\":true");
	}

	@Test
	void listenerMetersAreInMetrics() throws Exception {
		HttpResponse<String> meter = get("/actuator/metrics/stamp.connections.max?tag=protocol:tcp");
		assertThat(meter.statusCode()).isEqualTo(200);
		assertThat(meter.body()).contains("\"value\":10000.0");
		assertThat(get("/actuator/metrics/stamp.sessions.active").statusCode()).isEqualTo(200);
	}

	@Test
	void activeConnectionsMeterCountsOpenConnectionsPerProtocol() throws Exception {
		try (StampTcpTestConnection first = this.tcp.connect();
				StampTcpTestConnection second = this.tcp.connect();
				StampWebSocketTestSession chat = this.webSocket.connect("/chat")) {
			// Each connection answers before it is counted on: the server has it.
			for (StampTcpTestConnection connection : List.of(first, second)) {
				connection.send("ping");
				assertThat(connection.readText(4)).isEqualTo("ping");
			}
			chat.send("hello");
			assertThat(chat.nextText()).isEqualTo("User: hello");
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(activeConnections("tcp")).isEqualTo(2.0);
				assertThat(activeConnections("websocket")).isEqualTo(1.0);
			});
		}
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(activeConnections("tcp")).isZero();
			assertThat(activeConnections("websocket")).isZero();
		});
	}

	private double activeConnections(String protocol) throws Exception {
		HttpResponse<String> meter = get("/actuator/metrics/stamp.connections.active?tag=protocol:" + protocol);
		assertThat(meter.statusCode()).isEqualTo(200);
		return JsonMapper.shared().readTree(meter.body()).path("measurements").path(0).path("value").asDouble();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(15))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
