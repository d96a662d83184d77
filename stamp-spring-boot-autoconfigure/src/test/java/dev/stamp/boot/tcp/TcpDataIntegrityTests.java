package dev.stamp.boot.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.listener.SslBundleListenerTests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every byte a TCP handler sends before it returns reaches the client before the
 * connection closes, on both route forms, whatever the client's reading pace; and peers
 * that vanish or never read cannot pin a connection.
 */
class TcpDataIntegrityTests {

	private static final int MB = 1024 * 1024;

	private static final byte[] EARLY_REPLY = randomBytes(MB, 42);

	@ParameterizedTest(name = "{0} MB")
	@ValueSource(ints = { 1, 3, 8 })
	void blockingEchoReturnsEveryByteToAClientThatHalfCloses(int megabytes) {
		assertEveryEchoIsComplete(Form.BLOCKING, megabytes, 20);
	}

	@ParameterizedTest(name = "{0} MB")
	@ValueSource(ints = { 1, 3, 8 })
	void reactiveEchoReturnsEveryByteToAClientThatHalfCloses(int megabytes) {
		assertEveryEchoIsComplete(Form.REACTIVE, megabytes, 20);
	}

	private void assertEveryEchoIsComplete(Form form, int megabytes, int rounds) {
		StampContextRunner.create().withUserConfiguration(form.configuration).run((context) -> {
			List<String> wrong = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				byte[] payload = randomBytes(megabytes * MB, round);
				try (Socket socket = TcpListenerTests.connect(context)) {
					CompletableFuture<Void> writer = sendThenHalfClose(socket, payload);
					byte[] echoed = socket.getInputStream().readAllBytes();
					writer.get(10, TimeUnit.SECONDS);
					if (!sha256(echoed).equals(sha256(payload))) {
						wrong.add("round " + round + ": " + echoed.length + " of " + payload.length + " bytes");
					}
				}
			}
			assertThat(wrong).as("%s rounds of %s echoes that came back wrong", wrong.size(), rounds).isEmpty();
		});
	}

	@ParameterizedTest
	@EnumSource(Form.class)
	void slowReaderGetsEveryByte(Form form) {
		StampContextRunner.create()
			.withUserConfiguration(form.configuration)
			.withPropertyValues("stamp.tcp.idle-timeout=1s")
			.run((context) -> {
				byte[] payload = randomBytes(3 * MB, 7);
				try (Socket socket = TcpListenerTests.connect(context)) {
					socket.setReceiveBufferSize(32 * 1024);
					CompletableFuture<Void> writer = sendThenHalfClose(socket, payload);
					MessageDigest received = MessageDigest.getInstance("SHA-256");
					InputStream in = socket.getInputStream();
					byte[] buffer = new byte[8192];
					long total = 0;
					long sincePause = 0;
					int read;
					while ((read = in.read(buffer)) >= 0) {
						received.update(buffer, 0, read);
						total += read;
						sincePause += read;
						if (sincePause >= 64 * 1024) {
							sincePause = 0;
							Thread.sleep(20);
						}
					}
					writer.get(10, TimeUnit.SECONDS);
					assertThat(total).isEqualTo(payload.length);
					assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(sha256(payload));
				}
			});
	}

	@ParameterizedTest
	@EnumSource(Form.class)
	void clientThatHalfClosesAndReadsOnlyLaterGetsEveryByte(Form form) {
		StampContextRunner.create().withUserConfiguration(form.configuration).run((context) -> {
			EchoCounters counters = context.getBean(EchoCounters.class);
			for (int round = 0; round < 5; round++) {
				try (Socket socket = new Socket()) {
					// The whole echo must fit in the client's receive buffer, so that the
					// handler can write it all and return before the client reads a byte.
					socket.setReceiveBufferSize(4 * MB);
					socket.connect(
							new InetSocketAddress("127.0.0.1", StampContextRunner.port(context, StampProtocol.TCP)),
							5_000);
					socket.setSoTimeout(10_000);
					byte[] payload = randomBytes(Math.min(2 * MB, socket.getReceiveBufferSize() / 4), round);
					CompletableFuture<Void> writer = sendThenHalfClose(socket, payload);
					// The handler saw end of stream and returned; only then does the
					// client start reading its echo.
					awaitCount(counters.finished, round + 1);
					byte[] echoed = socket.getInputStream().readAllBytes();
					writer.get(10, TimeUnit.SECONDS);
					assertThat(echoed.length).as("round %s", round).isEqualTo(payload.length);
					assertThat(sha256(echoed)).isEqualTo(sha256(payload));
				}
			}
		});
	}

	@ParameterizedTest
	@EnumSource(Form.class)
	void peerThatResetsMidEchoFreesItsConnectionAndHandler(Form form) {
		StampContextRunner.create().withUserConfiguration(form.configuration).run((context) -> {
			TcpListener listener = context.getBean(TcpListener.class);
			EchoCounters counters = context.getBean(EchoCounters.class);
			for (int round = 0; round < 3; round++) {
				Socket socket = TcpListenerTests.connect(context);
				CompletableFuture<Void> writer = sendThenHalfClose(socket, randomBytes(8 * MB, round));
				TcpListenerTests.readExactly(socket.getInputStream(), 256 * 1024);
				socket.setSoLinger(true, 0);
				socket.close(); // RST while the echo is in full flow
				// The writer fails on the reset, or had already handed all its bytes to
				// the kernel: either way it ends.
				writer.handle((done, failure) -> null).get(10, TimeUnit.SECONDS);
			}
			TcpListenerTests.awaitActive(listener, 0);
			awaitCount(counters.finished, 3);
			byte[] payload = randomBytes(MB, 99);
			try (Socket next = TcpListenerTests.connect(context)) {
				CompletableFuture<Void> writer = sendThenHalfClose(next, payload);
				assertThat(sha256(next.getInputStream().readAllBytes())).isEqualTo(sha256(payload));
				writer.get(10, TimeUnit.SECONDS);
			}
		});
	}

	@ParameterizedTest
	@EnumSource(Form.class)
	void peerThatNeverReadsIsClosedByTheIdleTimeoutAndItsSlotFreed(Form form) {
		StampContextRunner.create()
			.withUserConfiguration(form.configuration)
			.withPropertyValues("stamp.tcp.idle-timeout=1s", "stamp.tcp.max-connections=1")
			.run((context) -> {
				TcpListener listener = context.getBean(TcpListener.class);
				try (Socket stubborn = TcpListenerTests.connect(context)) {
					stubborn.setReceiveBufferSize(16 * 1024);
					// Keeps sending and never reads: the echo backs up until neither side
					// moves.
					CompletableFuture<Void> writer = sendThenHalfClose(stubborn, randomBytes(64 * MB, 1));
					assertThatExceptionOfType(Exception.class).as("the server closes the connection")
						.isThrownBy(() -> writer.get(20, TimeUnit.SECONDS));
					TcpListenerTests.awaitActive(listener, 0);
					awaitCount(context.getBean(EchoCounters.class).finished, 1);
				}
				byte[] payload = randomBytes(MB, 2);
				try (Socket next = TcpListenerTests.connect(context)) {
					CompletableFuture<Void> writer = sendThenHalfClose(next, payload);
					assertThat(sha256(next.getInputStream().readAllBytes())).isEqualTo(sha256(payload));
					writer.get(10, TimeUnit.SECONDS);
				}
			});
	}

	@ParameterizedTest
	@ValueSource(classes = { BlockingEarlyReply.class, ReactiveEarlyReply.class })
	void replyOfAHandlerThatReturnsBeforeReadingEverythingIsNotDestroyedByAReset(Class<?> configuration) {
		StampContextRunner.create().withUserConfiguration(configuration).run((context) -> {
			for (int round = 0; round < 5; round++) {
				try (Socket socket = TcpListenerTests.connect(context)) {
					// The client is still sending when the handler returns: closing with
					// that input unread would make the server's kernel reset the
					// connection and drop the reply.
					CompletableFuture<Void> writer = sendThenHalfClose(socket, randomBytes(4 * MB, round));
					byte[] reply = socket.getInputStream().readAllBytes();
					writer.get(10, TimeUnit.SECONDS);
					assertThat(reply.length).as("round %s", round).isEqualTo(EARLY_REPLY.length);
					assertThat(sha256(reply)).isEqualTo(sha256(EARLY_REPLY));
				}
			}
		});
	}

	@ParameterizedTest
	@ValueSource(classes = { BlockingEarlyReply.class, ReactiveEarlyReply.class })
	void clientThatNeverClosesAfterTheReplyIsClosedWhenTheLingerTimeoutIsOver(Class<?> configuration) {
		StampContextRunner.create()
			.withUserConfiguration(configuration)
			.withPropertyValues("stamp.tcp.linger-timeout=500ms")
			.run((context) -> {
				try (Socket socket = TcpListenerTests.connect(context)) {
					socket.getOutputStream().write(1);
					InputStream in = socket.getInputStream();
					assertThat(sha256(TcpListenerTests.readExactly(in, EARLY_REPLY.length)))
						.isEqualTo(sha256(EARLY_REPLY));
					assertThat(in.read()).as("the server's FIN follows the reply").isEqualTo(-1);
					// The client keeps its side open: the server gives up waiting for its
					// FIN and frees the slot.
					TcpListenerTests.awaitActive(context.getBean(TcpListener.class), 0);
				}
			});
	}

	@ParameterizedTest
	@ValueSource(classes = { BlockingCounter.class, ReactiveCounter.class })
	void clientThatOnlySendsIsNotIdleWhileItsBytesAreRead(Class<?> configuration) {
		StampContextRunner.create()
			.withUserConfiguration(configuration)
			.withPropertyValues("stamp.tcp.idle-timeout=1s")
			.run((context) -> {
				try (Socket socket = TcpListenerTests.connect(context)) {
					OutputStream out = socket.getOutputStream();
					byte[] chunk = new byte[16 * 1024];
					long sent = 0;
					// Three idle timeouts of traffic in one direction only: reading it is
					// traffic too.
					long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
					while (System.nanoTime() < until) {
						out.write(chunk);
						sent += chunk.length;
						Thread.sleep(50);
					}
					socket.shutdownOutput();
					String counted = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
					assertThat(counted).isEqualTo(Long.toString(sent));
				}
			});
	}

	@ParameterizedTest
	@EnumSource(Form.class)
	void tls13ClientThatEndsItsSideWithCloseNotifyGetsEveryByte(Form form) {
		StampContextRunner.create()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withUserConfiguration(form.configuration)
			.withPropertyValues("spring.ssl.bundle.jks.server.keystore.location=classpath:test-server.p12",
					"spring.ssl.bundle.jks.server.keystore.password=changeit",
					"spring.ssl.bundle.jks.server.keystore.type=PKCS12", "stamp.tcp.ssl.bundle=server")
			.run((context) -> {
				SSLSocketFactory sockets = SslBundleListenerTests.clientContext().getSocketFactory();
				for (int round = 0; round < 5; round++) {
					byte[] payload = randomBytes(MB, round);
					try (SSLSocket socket = (SSLSocket) sockets.createSocket("127.0.0.1",
							StampContextRunner.port(context, StampProtocol.TCP))) {
						socket.setSoTimeout(10_000);
						socket.setEnabledProtocols(new String[] { "TLSv1.3" });
						// shutdownOutput() of a TLS 1.3 socket sends close_notify, then
						// FIN.
						CompletableFuture<Void> writer = sendThenHalfClose(socket, payload);
						byte[] echoed = socket.getInputStream().readAllBytes();
						writer.get(10, TimeUnit.SECONDS);
						assertThat(echoed.length).as("round %s", round).isEqualTo(payload.length);
						assertThat(sha256(echoed)).isEqualTo(sha256(payload));
					}
				}
			});
	}

	private static CompletableFuture<Void> sendThenHalfClose(Socket socket, byte[] payload) {
		return CompletableFuture.runAsync(() -> {
			try {
				OutputStream out = socket.getOutputStream();
				for (int offset = 0; offset < payload.length; offset += 64 * 1024) {
					out.write(payload, offset, Math.min(64 * 1024, payload.length - offset));
				}
				socket.shutdownOutput();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	private static void awaitCount(AtomicInteger counter, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (counter.get() < expected && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(counter.get()).isEqualTo(expected);
	}

	private static byte[] randomBytes(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

	enum Form {

		BLOCKING(BlockingEcho.class), REACTIVE(ReactiveEcho.class);

		private final Class<?> configuration;

		Form(Class<?> configuration) {
			this.configuration = configuration;
		}

	}

	/** Counts handler calls that have ended, however they ended. */
	static class EchoCounters {

		final AtomicInteger finished = new AtomicInteger();

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingEcho {

		@Bean
		EchoCounters echoCounters() {
			return new EchoCounters();
		}

		@Bean
		Object blockingEchoRoute(EchoCounters counters) {
			return new Object() {

				/** The README's echo. */
				@StampRoute
				void echo(TcpConnection connection) {
					try {
						byte[] data = connection.read(1024);
						while (data.length > 0) {
							connection.send(data);
							data = connection.read(1024);
						}
					}
					finally {
						counters.finished.incrementAndGet();
					}
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReactiveEcho {

		@Bean
		EchoCounters echoCounters() {
			return new EchoCounters();
		}

		@Bean
		Object reactiveEchoRoute(EchoCounters counters) {
			return new Object() {

				@StampRoute
				Mono<Void> echo(ReactiveTcpConnection connection) {
					return connection.outbound()
						.send(connection.inbound().receive().retain())
						.then()
						.doFinally((signal) -> counters.finished.incrementAndGet());
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingEarlyReply {

		@Bean
		Object blockingEarlyReplyRoute() {
			return new Object() {

				@StampRoute
				void replyToTheFirstBytes(TcpConnection connection) {
					connection.read(1024);
					connection.send(EARLY_REPLY);
					connection.close();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReactiveEarlyReply {

		@Bean
		Object reactiveEarlyReplyRoute() {
			return new Object() {

				@StampRoute
				Mono<Void> replyToTheFirstBytes(ReactiveTcpConnection connection) {
					return connection.receive().next().then(connection.send(Mono.just(EARLY_REPLY)));
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingCounter {

		@Bean
		Object blockingCounterRoute() {
			return new Object() {

				@StampRoute
				void countUntilEndOfStream(TcpConnection connection) {
					long received = 0;
					byte[] data = connection.read(64 * 1024);
					while (data.length > 0) {
						received += data.length;
						data = connection.read(64 * 1024);
					}
					connection.send(Long.toString(received));
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReactiveCounter {

		@Bean
		Object reactiveCounterRoute() {
			return new Object() {

				@StampRoute
				Mono<Void> countUntilEndOfStream(ReactiveTcpConnection connection) {
					return connection.receive()
						.map((bytes) -> (long) bytes.length)
						.reduce(0L, Long::sum)
						.flatMap((received) -> connection.send(Mono.just(Long.toString(received).getBytes())));
				}

			};
		}

	}

}
