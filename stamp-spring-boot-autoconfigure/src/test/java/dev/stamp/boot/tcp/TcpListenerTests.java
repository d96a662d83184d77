package dev.stamp.boot.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP listener over real sockets on 127.0.0.1.
 */
class TcpListenerTests {

	@Test
	void blockingEchoHandlerEchoesEveryByteUntilTheClientCloses() {
		StampContextRunner.create().withUserConfiguration(BlockingEcho.class).run((context) -> {
			byte[] payload = randomBytes(1024 * 1024);
			try (Socket socket = connect(context)) {
				CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(socket, payload));
				byte[] echoed = readExactly(socket.getInputStream(), payload.length);
				writer.get(10, TimeUnit.SECONDS);
				assertThat(echoed).isEqualTo(payload);
				socket.shutdownOutput();
				assertThat(socket.getInputStream().read()).as("server closes after the client's FIN").isEqualTo(-1);
			}
		});
	}

	@Test
	void clientThatSendsThenShutsDownItsOutputStillGetsTheEcho() {
		StampContextRunner.create().withUserConfiguration(BlockingEcho.class).run((context) -> {
			for (int i = 0; i < 20; i++) {
				try (Socket socket = connect(context)) {
					socket.getOutputStream().write(("ping " + i).getBytes(StandardCharsets.US_ASCII));
					socket.shutdownOutput();
					assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
						.isEqualTo("ping " + i);
				}
			}
		});
	}

	@Test
	void reactiveEchoHandlerEchoesOnTheEventLoop() {
		StampContextRunner.create().withUserConfiguration(ReactiveEcho.class).run((context) -> {
			try (Socket socket = connect(context)) {
				socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
				assertThat(new String(readExactly(socket.getInputStream(), 4), StandardCharsets.US_ASCII))
					.isEqualTo("ping");
			}
		});
	}

	@Test
	void handlerSeesTheRemoteAddressAndCanGreetAndClose() {
		StampContextRunner.create().withUserConfiguration(Greeter.class).run((context) -> {
			try (Socket socket = connect(context)) {
				String greeting = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				assertThat(greeting).isEqualTo("Hello, Client! You are 127.0.0.1:" + socket.getLocalPort());
			}
		});
	}

	@Test
	void connectionOverMaxConnectionsIsClosedAtOnceAndCountedWhileOthersKeepWorking() {
		StampContextRunner.create()
			.withUserConfiguration(BlockingEcho.class)
			.withPropertyValues("stamp.tcp.max-connections=2")
			.run((context) -> {
				TcpListener listener = context.getBean(TcpListener.class);
				try (Socket first = connect(context); Socket second = connect(context)) {
					assertEcho(first, "one");
					assertEcho(second, "two");
					try (Socket third = connect(context)) {
						assertThat(third.getInputStream().read()).as("N+1 is closed without data").isEqualTo(-1);
					}
					assertThat(listener.stats().refusedConnections()).isEqualTo(1);
					assertEcho(first, "still served");
				}
				awaitActive(listener, 0);
				try (Socket again = connect(context)) {
					assertEcho(again, "a place was freed");
				}
				assertThat(listener.stats().acceptedConnections()).isEqualTo(3);
			});
	}

	@Test
	void idleConnectionIsClosedAfterTheIdleTimeout() {
		StampContextRunner.create()
			.withUserConfiguration(BlockingEcho.class)
			.withPropertyValues("stamp.tcp.idle-timeout=300ms")
			.run((context) -> {
				try (Socket socket = connect(context)) {
					socket.setSoTimeout(5_000);
					assertThat(socket.getInputStream().read()).isEqualTo(-1);
				}
				awaitActive(context.getBean(TcpListener.class), 0);
			});
	}

	@Test
	void vanishedClientsFreeTheirPlaceAndAFailingHandlerDoesNotAffectOthers() {
		StampContextRunner.create().withUserConfiguration(FailsOnBoom.class).run((context) -> {
			TcpListener listener = context.getBean(TcpListener.class);
			List<Socket> vanished = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				Socket socket = connect(context);
				socket.setSoLinger(true, 0);
				vanished.add(socket);
			}
			for (Socket socket : vanished) {
				socket.close(); // RST: the peer vanishes without a FIN
			}
			try (Socket failing = connect(context); Socket healthy = connect(context)) {
				failing.getOutputStream().write("boom".getBytes(StandardCharsets.US_ASCII));
				assertThat(failing.getInputStream().read()).isEqualTo(-1);
				assertEcho(healthy, "fine");
			}
			awaitActive(listener, 0);
		});
	}

	@Test
	void slowReaderSlowsItsHandlerDownInsteadOfGrowingMemory() {
		StampContextRunner.create().withUserConfiguration(Firehose.class).run((context) -> {
			try (Socket socket = connect(context)) {
				socket.setReceiveBufferSize(16 * 1024);
				Firehose firehose = context.getBean(Firehose.class);
				// The handler is held back once what it has sent stops growing while
				// nobody reads.
				long[] last = { -1 };
				Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
					long now = firehose.sent;
					boolean stalled = now > 0 && now == last[0];
					last[0] = now;
					return stalled;
				});
				long sentWhileNotReading = firehose.sent;
				// Without backpressure the handler would have queued all 256 MiB by now.
				assertThat(sentWhileNotReading).isLessThan(64L * 1024 * 1024);
				byte[] total = readExactly(socket.getInputStream(), 1024 * 1024);
				assertThat(total).hasSize(1024 * 1024);
			}
		});
	}

	@Test
	void stopWaitsForARunningHandlerWithinTheGracePeriod() throws Exception {
		CompletableFuture<String> answer = new CompletableFuture<>();
		StampContextRunner.create()
			.withUserConfiguration(SlowResponder.class)
			.withPropertyValues("stamp.shutdown.grace-period=5s")
			.run((context) -> {
				Socket socket = connect(context);
				socket.getOutputStream().write('x');
				CompletableFuture.runAsync(() -> {
					try (socket) {
						answer.complete(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
					}
					catch (IOException ex) {
						answer.completeExceptionally(ex);
					}
				});
				// Close the context only once the handler is busy with this connection.
				assertThat(context.getBean(SlowResponder.class).busy.await(10, TimeUnit.SECONDS)).isTrue();
			});
		// The context closed while the handler slept; the reply still arrived before the
		// connection closed.
		assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("done");
	}

	static Socket connect(ApplicationContext context) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", StampContextRunner.port(context, StampProtocol.TCP)), 5_000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	static void assertEcho(Socket socket, String text) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		socket.getOutputStream().write(bytes);
		assertThat(new String(readExactly(socket.getInputStream(), bytes.length), StandardCharsets.UTF_8))
			.isEqualTo(text);
	}

	static byte[] readExactly(InputStream in, int length) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(length);
		byte[] buffer = new byte[8192];
		while (out.size() < length) {
			int read = in.read(buffer, 0, Math.min(buffer.length, length - out.size()));
			if (read < 0) {
				throw new IOException("End of stream after " + out.size() + " of " + length + " bytes");
			}
			out.write(buffer, 0, read);
		}
		return out.toByteArray();
	}

	static void awaitActive(TcpListener listener, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (listener.stats().activeConnections() != expected && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(listener.stats().activeConnections()).isEqualTo(expected);
	}

	private static void write(Socket socket, byte[] payload) {
		try {
			OutputStream out = socket.getOutputStream();
			for (int offset = 0; offset < payload.length; offset += 16 * 1024) {
				out.write(payload, offset, Math.min(16 * 1024, payload.length - offset));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(42).nextBytes(bytes);
		return bytes;
	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingEcho {

		@Bean
		EchoRoute echoRoute() {
			return new EchoRoute();
		}

	}

	static class EchoRoute {

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
	static class ReactiveEcho {

		@Bean
		Object reactiveEchoRoute() {
			return new Object() {

				@StampRoute
				Mono<Void> echo(ReactiveTcpConnection connection) {
					return connection.outbound().send(connection.inbound().receive().retain()).then();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Greeter {

		@Bean
		Object greeterRoute() {
			return new Object() {

				@StampRoute
				void greet(TcpConnection connection) {
					InetSocketAddress address = connection.remoteAddress();
					connection.send("Hello, Client! You are " + address.getHostString() + ":" + address.getPort());
					connection.close();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailsOnBoom {

		@Bean
		Object failingRoute() {
			return new Object() {

				@StampRoute
				void echoUnlessBoom(TcpConnection connection) {
					byte[] data = connection.read(1024);
					while (data.length > 0) {
						if (new String(data, StandardCharsets.US_ASCII).equals("boom")) {
							throw new IllegalStateException("boom");
						}
						connection.send(data);
						data = connection.read(1024);
					}
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Firehose {

		volatile long sent;

		@StampRoute
		void flood(TcpConnection connection) {
			byte[] chunk = new byte[64 * 1024];
			for (int i = 0; i < 4096 && connection.isOpen(); i++) {
				connection.send(chunk);
				this.sent += chunk.length;
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowResponder {

		final CountDownLatch busy = new CountDownLatch(1);

		@StampRoute
		void slow(TcpConnection connection) throws InterruptedException {
			connection.read(1);
			this.busy.countDown();
			Thread.sleep(1_000);
			connection.send("done");
		}

	}

}
