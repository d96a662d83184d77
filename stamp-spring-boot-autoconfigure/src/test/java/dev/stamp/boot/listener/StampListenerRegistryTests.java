package dev.stamp.boot.listener;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.util.unit.DataSize;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.actuate.StampActuatorAutoConfiguration;
import dev.stamp.boot.actuate.StampEndpoint;
import dev.stamp.boot.actuate.StampHealthIndicator;
import dev.stamp.boot.actuate.StampListenerMetrics;
import dev.stamp.boot.http.HttpListenerSettings;
import dev.stamp.boot.monitor.MonitorAutoConfiguration;
import dev.stamp.boot.monitor.StampMonitor;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.tcp.TcpListenerSettings;
import dev.stamp.boot.websocket.WebSocketListenerSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Several listeners per protocol: {@code additional-listeners} and the
 * {@link StampListenerRegistry}, over real sockets on 127.0.0.1.
 */
class StampListenerRegistryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final ApplicationContextRunner runner = StampContextRunner.create()
		.withConfiguration(AutoConfigurations.of(MonitorAutoConfiguration.class, StampActuatorAutoConfiguration.class))
		.withUserConfiguration(Routes.class, Meters.class)
		.withPropertyValues("management.endpoints.web.exposure.include=stamp");

	@Test
	void additionalListenersServeTheSameRoutesAndPublishTheirPorts() {
		this.runner
			.withPropertyValues("stamp.http.additional-listeners[0].host=127.0.0.1",
					"stamp.http.additional-listeners[0].port=0", "stamp.http.additional-listeners[1].port=0",
					"stamp.http.max-request-size=3KB", "stamp.http.additional-listeners[1].max-connections=7",
					"stamp.tcp.additional-listeners[0].host=127.0.0.1", "stamp.tcp.additional-listeners[0].port=0")
			.run((context) -> {
				int main = StampContextRunner.port(context, StampProtocol.HTTP);
				int first = publishedPort(context, "http", 0);
				int second = publishedPort(context, "http", 1);
				assertThat(List.of(main, first, second)).doesNotHaveDuplicates();
				for (int port : List.of(main, first, second)) {
					assertThat(get(port, "/hello").body()).isEqualTo("hello");
				}
				assertThat(echo(StampContextRunner.port(context, StampProtocol.TCP), "main")).isEqualTo("main");
				assertThat(echo(publishedPort(context, "tcp", 0), "additional")).isEqualTo("additional");
				StampListenerRegistry registry = context.getBean(StampListenerRegistry.class);
				assertThat(registry.listeners()).extracting(StampListener::name)
					.contains("http", "http-0", "http-1", "tcp", "tcp-0");
				StampListener limited = listener(registry, "http-1");
				assertThat(limited.stats().maxConnections()).as("set on the additional listener").isEqualTo(7);
				HttpListenerSettings inherited = (HttpListenerSettings) listener(registry, "http-1").settings();
				assertThat(inherited.getMaxRequestSize()).as("the main listener's protocol settings")
					.isEqualTo(DataSize.ofKilobytes(3));
				assertThat(inherited.getHost()).as("the main listener's host, left unset").isEqualTo("127.0.0.1");
				Health health = context.getBean(StampHealthIndicator.class).health(true);
				assertThat(health.getDetails()).containsKeys("http", "http-0", "http-1", "tcp", "tcp-0");
			});
	}

	@Test
	void listenerAddedAtRunTimeServesAndShowsInTheEndpointHealthMetricsAndEvents() {
		this.runner.run((context) -> {
			Events events = context.getBean(Events.class);
			StampListenerRegistry registry = context.getBean(StampListenerRegistry.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			context.getBean(StampListenerMetrics.class).bindTo(meters);
			StampListener added = registry.add(StampProtocol.HTTP, httpSettings());
			assertThat(added.isRunning()).isTrue();
			assertThat(added.name()).isEqualTo("http-0");
			assertThat(get(added.port(), "/hello").body()).isEqualTo("hello");
			assertThat(publishedPort(context, "http", 0)).isEqualTo(added.port());
			assertThat(events.seen).contains("started http-0 " + added.port());
			StampEndpoint endpoint = context.getBean(StampEndpoint.class);
			assertThat(endpoint.stamp().listeners()).containsKeys("http", "http-0");
			StampEndpoint.ListenerDescriptor described = (StampEndpoint.ListenerDescriptor) endpoint.part("http-0",
					null);
			assertThat(described.port()).isEqualTo(added.port());
			assertThat(described.connections().acceptedConnections()).isEqualTo(1);
			assertThat(context.getBean(StampHealthIndicator.class).health(true).getDetails()).containsKey("http-0");
			assertThat(context.getBean(StampMonitor.class).sample().listeners()).containsKeys("http", "http-0");
			assertThat(meters.get("stamp.connections.accepted").tag("listener", "http-0").functionCounter().count())
				.isEqualTo(1);
			int port = added.port();
			assertThat(registry.remove(StampProtocol.HTTP, "127.0.0.1", port)).isTrue();
			assertThat(events.seen).contains("stopped http-0 " + port);
			assertThat(endpoint.stamp().listeners()).containsKey("http").doesNotContainKey("http-0");
			assertThat(meters.find("stamp.connections.accepted").tag("listener", "http-0").functionCounter()).isNull();
			assertThat(context.getEnvironment()
				.getProperty("local.stamp.http.additional-listeners[0].port", Integer.class)).isNull();
			assertThat(context.getEnvironment().getProperty("local.stamp.http.port", Integer.class))
				.as("the main listener's port stays published")
				.isEqualTo(StampContextRunner.port(context, StampProtocol.HTTP));
		});
	}

	@Test
	void removeDrainsAnInFlightRequestThenFreesThePort() {
		this.runner.run((context) -> {
			Routes routes = context.getBean(Routes.class);
			StampListenerRegistry registry = context.getBean(StampListenerRegistry.class);
			StampListener added = registry.add(StampProtocol.HTTP, httpSettings());
			int port = added.port();
			CompletableFuture<HttpResponse<String>> slow = http.sendAsync(request(port, "/slow"),
					HttpResponse.BodyHandlers.ofString());
			assertThat(routes.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Boolean> removed = CompletableFuture
				.supplyAsync(() -> registry.remove(StampProtocol.HTTP, "127.0.0.1", port));
			Awaitility.await().atMost(TIMEOUT).until(() -> refusesConnections(port));
			assertThat(removed).as("still draining the request in flight").isNotDone();
			routes.releaseSlow.countDown();
			HttpResponse<String> response = slow.get(10, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("slow");
			assertThat(removed.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(added.isRunning()).isFalse();
			try (ServerSocket rebound = new ServerSocket()) {
				rebound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
				assertThat(rebound.getLocalPort()).as("the port is free again").isEqualTo(port);
			}
			assertThat(get(StampContextRunner.port(context, StampProtocol.HTTP), "/hello").body())
				.as("the main listener keeps serving")
				.isEqualTo("hello");
		});
	}

	@Test
	void statsAddUpConnectionsOverEveryListener() {
		this.runner
			.withPropertyValues("stamp.tcp.additional-listeners[0].host=127.0.0.1",
					"stamp.tcp.additional-listeners[0].port=0")
			.run((context) -> {
				StampListenerRegistry registry = context.getBean(StampListenerRegistry.class);
				int main = StampContextRunner.port(context, StampProtocol.TCP);
				int additional = publishedPort(context, "tcp", 0);
				List<Socket> sockets = new ArrayList<>();
				try {
					for (int i = 0; i < 5; i++) {
						Socket socket = new Socket("127.0.0.1", (i % 2 == 0) ? main : additional);
						socket.getOutputStream().write('x');
						assertThat(socket.getInputStream().read()).isEqualTo('x');
						sockets.add(socket);
					}
					StampListenerRegistry.Stats stats = registry.stats();
					assertThat(stats.total().activeConnections()).isEqualTo(5);
					assertThat(stats.protocols().get("tcp").activeConnections()).isEqualTo(5);
					assertThat(stats.protocols().get("tcp").acceptedConnections()).isEqualTo(5);
					assertThat(listener(registry, "tcp").stats().activeConnections()).isEqualTo(3);
					assertThat(listener(registry, "tcp-0").stats().activeConnections()).isEqualTo(2);
					assertThat(stats.running()).isEqualTo(3);
				}
				finally {
					for (Socket socket : sockets) {
						socket.close();
					}
				}
			});
	}

	@Test
	void sameHostAndPortTwiceIsRefusedAndRemovingAnUnknownListenerReturnsFalse() {
		this.runner.run((context) -> {
			StampListenerRegistry registry = context.getBean(StampListenerRegistry.class);
			HttpListenerSettings taken = httpSettings();
			taken.setPort(StampContextRunner.port(context, StampProtocol.HTTP));
			assertThatExceptionOfType(DuplicateListenerException.class)
				.isThrownBy(() -> registry.add(StampProtocol.HTTP, taken))
				.withMessageContaining("listener http already listens on 127.0.0.1:" + taken.getPort());
			TcpListenerSettings wildcard = new TcpListenerSettings();
			wildcard.setPort(taken.getPort());
			assertThatExceptionOfType(DuplicateListenerException.class)
				.as("0.0.0.0 overlaps 127.0.0.1 for TCP listeners of any protocol")
				.isThrownBy(() -> registry.add(StampProtocol.TCP, wildcard));
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> registry.add(StampProtocol.HTTP, new WebSocketListenerSettings()))
				.withMessage("A http listener takes HttpListenerSettings, not WebSocketListenerSettings");
			assertThat(registry.remove(StampProtocol.HTTP, "127.0.0.1", 1)).isFalse();
			assertThat(registry.remove(StampProtocol.HTTP, "127.0.0.1", taken.getPort()))
				.as("the main listener stops with the context, not through the registry")
				.isFalse();
			assertThat(registry.listeners()).extracting(StampListener::name).doesNotContain("http-0", "tcp-0");
		});
	}

	@Test
	void additionalListenerWithoutAPortFailsTheStart() {
		this.runner.withPropertyValues("stamp.http.additional-listeners[0].host=127.0.0.1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("http.additionalListeners[0].port")
				.hasMessageContaining("must not be null"));
	}

	@Test
	void listenersAddedAtRunTimeStopWithTheContext() {
		List<StampListener> added = new ArrayList<>();
		this.runner.run((context) -> added
			.add(context.getBean(StampListenerRegistry.class).add(StampProtocol.TCP, tcpSettings())));
		assertThat(added.get(0).isRunning()).isFalse();
	}

	private static StampListener listener(StampListenerRegistry registry, String name) {
		return registry.listeners()
			.stream()
			.filter((listener) -> listener.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

	private static int publishedPort(ApplicationContext context, String protocol, int index) {
		return context.getEnvironment()
			.getRequiredProperty("local.stamp." + protocol + ".additional-listeners[" + index + "].port",
					Integer.class);
	}

	private static HttpListenerSettings httpSettings() {
		HttpListenerSettings settings = new HttpListenerSettings();
		settings.setHost("127.0.0.1");
		settings.setPort(0);
		return settings;
	}

	private static TcpListenerSettings tcpSettings() {
		TcpListenerSettings settings = new TcpListenerSettings();
		settings.setHost("127.0.0.1");
		settings.setPort(0);
		return settings;
	}

	private static HttpRequest request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT).build();
	}

	private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return http.send(request(port, path), HttpResponse.BodyHandlers.ofString());
	}

	private static String echo(int port, String message) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.getOutputStream().write(message.getBytes(StandardCharsets.US_ASCII));
			socket.shutdownOutput();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	private static boolean refusesConnections(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		final CountDownLatch slowEntered = new CountDownLatch(1);

		final CountDownLatch releaseSlow = new CountDownLatch(1);

		@StampRoute(path = "/hello", method = HttpMethod.GET)
		String hello(dev.stamp.boot.http.HttpRequest request) {
			return "hello";
		}

		@StampRoute(path = "/slow", method = HttpMethod.GET)
		String slow(dev.stamp.boot.http.HttpRequest request) throws InterruptedException {
			this.slowEntered.countDown();
			this.releaseSlow.await(30, TimeUnit.SECONDS);
			return "slow";
		}

		@StampRoute
		void echo(TcpConnection connection) throws IOException {
			byte[] data = connection.read(64);
			while (data.length > 0) {
				connection.send(data);
				data = connection.read(64);
			}
		}

		@Bean
		Events events() {
			return new Events();
		}

	}

	static class Events {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@EventListener
		void started(StampListenerStartedEvent event) {
			this.seen.add("started " + event.getListener().name() + " " + event.getPort());
		}

		@EventListener
		void stopped(StampListenerStoppedEvent event) {
			this.seen.add("stopped " + event.getListener().name() + " " + event.getPort());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
