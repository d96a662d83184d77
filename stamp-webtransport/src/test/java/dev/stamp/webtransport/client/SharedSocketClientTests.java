package dev.stamp.webtransport.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.server.SessionAcceptor;
import dev.stamp.webtransport.server.WebTransportServer;
import dev.stamp.webtransport.server.WebTransportServerConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client QUIC connections that share UDP sockets
 * ({@link WebTransportClient.Builder#connectionsPerSocket(int)}): each is a connection of
 * its own on the server, echoes only its own bytes, and closing some leaves the others of
 * the socket working.
 */
class SharedSocketClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private WebTransportServer server;

	private WebTransportClient client;

	@AfterEach
	void close() {
		if (this.client != null) {
			this.client.close();
		}
		if (this.server != null) {
			this.server.shutdownGracefully(Duration.ofMillis(200));
		}
	}

	@Test
	void connectionsShareSocketsAndStayApart() throws Exception {
		this.server = new WebTransportServer(WebTransportServerConfig.builder(SessionAcceptor
			.of((session) -> session.acceptedBidiStreams().flatMap((stream) -> stream.send(stream.receive())).then()))
			.host("127.0.0.1")
			.port(0)
			.build()).start();
		this.client = WebTransportClient.builder()
			.trustCertificateHash(this.server.developmentCertificate().sha256())
			.connectionsPerSocket(3)
			.build();
		List<WebTransportClientConnection> connections = new ArrayList<>();
		List<WebTransportSession> sessions = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			WebTransportClientConnection connection = this.client.openConnection(this.server.localAddress(),
					"localhost", new InetSocketAddress("127.0.0.1", 0));
			connections.add(connection);
			sessions.add(connection.openSession("/echo").block(TIMEOUT));
		}
		Set<Integer> localPorts = connections.stream()
			.map((connection) -> ((InetSocketAddress) connection.quicChannel().parent().localAddress()).getPort())
			.collect(Collectors.toSet());
		assertThat(localPorts).as("7 connections, 3 per socket").hasSize(3);
		assertThat(this.server.statistics().activeSessions()).isEqualTo(7);
		for (int i = 0; i < sessions.size(); i++) {
			assertThat(echo(sessions.get(i), "session " + i)).isEqualTo("session " + i);
		}
		// The first socket's first two connections go; its third still works.
		connections.get(0).close();
		connections.get(1).close();
		assertThat(echo(sessions.get(2), "still here")).isEqualTo("still here");
		assertThat(connections.get(2).quicChannel().parent().isOpen()).isTrue();
		connections.get(2).close();
		connections.get(2).quicChannel().closeFuture().await(TIMEOUT.toMillis());
		connections.get(2).quicChannel().parent().closeFuture().await(TIMEOUT.toMillis());
		assertThat(connections.get(2).quicChannel().parent().isOpen()).as("closed with its last connection").isFalse();
		assertThat(echo(sessions.get(3), "next socket")).isEqualTo("next socket");
	}

	private static String echo(WebTransportSession session, String text) {
		WebTransportStream stream = session.openBidiStream().block(TIMEOUT);
		Mono<String> answer = stream.receive()
			.reduce(new StringBuilder(), (all, bytes) -> all.append(new String(bytes)))
			.map(StringBuilder::toString);
		stream.send(Mono.just(text.getBytes())).block(TIMEOUT);
		return answer.block(TIMEOUT);
	}

}
