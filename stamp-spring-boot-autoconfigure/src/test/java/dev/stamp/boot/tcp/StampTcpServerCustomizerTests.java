package dev.stamp.boot.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StampTcpServerCustomizer} beans shape the TCP listener's server, in order, over
 * a real socket.
 */
class StampTcpServerCustomizerTests {

	@Test
	void customizersRunInOrderAndTheirHandlersReachTheClient() {
		StampContextRunner.create().withUserConfiguration(Echo.class, Banners.class).run((context) -> {
			try (Socket socket = connect(context)) {
				socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
				socket.shutdownOutput();
				// Each customizer's connection handler writes its banner before the route
				// runs; the first in @Order writes first.
				assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
					.isEqualTo("first;second;ping");
			}
		});
	}

	private static Socket connect(ApplicationContext context) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", StampContextRunner.port(context, StampProtocol.TCP)), 5_000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	@Configuration(proxyBeanMethods = false)
	static class Echo {

		@StampRoute
		void echo(TcpConnection connection) {
			byte[] data = connection.read(1024);
			while (data.length > 0) {
				connection.send(data);
				data = connection.read(1024);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Banners {

		@Bean
		@Order(2)
		StampTcpServerCustomizer second() {
			return banner("second;");
		}

		@Bean
		@Order(1)
		StampTcpServerCustomizer first() {
			return banner("first;");
		}

		private static StampTcpServerCustomizer banner(String text) {
			return (server) -> server.doOnConnection((connection) -> connection.channel()
				.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII)));
		}

	}

}
