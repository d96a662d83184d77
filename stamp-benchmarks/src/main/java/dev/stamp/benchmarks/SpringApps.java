package dev.stamp.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

import dev.stamp.boot.StampProtocol;

/**
 * The Spring applications of the benchmark, each started as a real
 * {@code SpringApplication} with its own context: Stamp with reactive routes, Stamp with
 * blocking routes, Stamp with only the WebSocket echo (memory), Stamp with only its
 * WebTransport echo endpoint, a Spring WebFlux {@code @RestController} on Reactor Netty,
 * and what users of blocking code pick: the same {@code @RestController} on Spring MVC
 * and Tomcat (platform or virtual threads) and a {@link TextWebSocketHandler} echo on
 * Spring's servlet WebSocket support.
 */
final class SpringApps {

	/**
	 * With Tomcat on the class path too, a reactive application could get Tomcat's
	 * reactive server: the WebFlux peer must stay on Reactor Netty.
	 */
	private static final String TOMCAT_REACTIVE_AUTO_CONFIGURATION = "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration";

	private SpringApps() {
	}

	static ConfigurableApplicationContext startStamp(Class<?> configuration) {
		return startStamp(configuration, Map.of());
	}

	/**
	 * Stamp with only its built-in WebTransport echo endpoint
	 * ({@code stamp.webtransport.echo-path}), which streams and datagrams are echoed by,
	 * with the session limits raised for the memory figure. The engine's transport
	 * settings (event loops, sockets, windows) stay at their defaults: they are what is
	 * measured.
	 */
	static ConfigurableApplicationContext startStampWebTransport() {
		return startStamp(StampWebTransportApp.class, Map.of("stamp.webtransport.echo-path", Payloads.ECHO_PATH));
	}

	/**
	 * The soak's server: Stamp with every protocol in one application, its echo routes, a
	 * chat room and the WebTransport echo endpoint. Limits that misbehaving clients meet
	 * are lowered so that a soak of minutes sees them act: a request head must arrive in
	 * 2 s, and a WebSocket client that does not read is cut off at 256 KiB queued.
	 */
	static ConfigurableApplicationContext startStampSoak() {
		return startStamp(StampSoakApp.class, Map.of("stamp.webtransport.echo-path", Payloads.ECHO_PATH,
				"stamp.http.request-header-timeout", "2s", "stamp.websocket.max-pending-outbound", "256KB"));
	}

	/**
	 * A node of the fan-out figure's cluster: Stamp's WebSocket room route with
	 * {@code stamp.cluster.enabled} on a Redis of 127.0.0.1.
	 * @param redisPort the Redis port
	 * @param nodeId the node's id
	 * @param publishBatchSize {@code stamp.cluster.publish-batch-size}, 1 to send
	 * publishes one by one
	 */
	static ConfigurableApplicationContext startStampClusterNode(int redisPort, String nodeId, int publishBatchSize) {
		return startStamp(StampRoomApp.class,
				Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", redisPort,
						"stamp.cluster.enabled", true, "stamp.cluster.node-id", nodeId,
						"stamp.cluster.publish-batch-size", publishBatchSize, "stamp.cluster.node-timeout", "10s"));
	}

	private static ConfigurableApplicationContext startStamp(Class<?> configuration, Map<String, Object> extra) {
		Map<String, Object> properties = common();
		for (StampProtocol protocol : new StampProtocol[] { StampProtocol.TCP, StampProtocol.WEBSOCKET,
				StampProtocol.HTTP, StampProtocol.WEBTRANSPORT }) {
			String prefix = "stamp." + protocol.id() + ".";
			properties.put(prefix + "host", "127.0.0.1");
			properties.put(prefix + "port", 0);
			// Above any scale run's count: connections of a warm-up pass whose close was
			// lost linger until their idle timeout and must not crowd out the measured
			// ones.
			properties.put(prefix + "max-connections", 200_000);
		}
		properties.put("stamp.webtransport.max-sessions", 200_000);
		properties.put("stamp.websocket.idle-timeout", "1h");
		properties.put("stamp.tcp.idle-timeout", "1h");
		properties.put("stamp.http.idle-timeout", "5m");
		properties.put("stamp.webtransport.idle-timeout", WebTransportLoad.IDLE_TIMEOUT.toMinutes() + "m");
		properties.put("stamp.shutdown.grace-period", "1s");
		properties.putAll(extra);
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
	}

	static ConfigurableApplicationContext startWebFlux() {
		Map<String, Object> properties = common();
		properties.put("server.address", "127.0.0.1");
		properties.put("server.port", 0);
		// A plain WebFlux application: none of Stamp's auto-configurations, whichever the
		// starter brings today.
		List<String> excluded = stampAutoConfigurations();
		excluded.add(TOMCAT_REACTIVE_AUTO_CONFIGURATION);
		properties.put("spring.autoconfigure.exclude", String.join(",", excluded));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WebFluxApp.class)
			.web(WebApplicationType.REACTIVE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
		requireWebServer(context, "NettyWebServer");
		return context;
	}

	/**
	 * A Spring MVC application on Tomcat, without Stamp: the {@code @RestController} and,
	 * with {@link TomcatWebSocketApp}, the servlet WebSocket echo.
	 * @param configuration {@link TomcatMvcApp} or {@link TomcatWebSocketApp}
	 * @param virtualThreads {@code spring.threads.virtual.enabled}: Tomcat serves
	 * requests on virtual threads (Java 21+)
	 */
	static ConfigurableApplicationContext startTomcat(Class<?> configuration, boolean virtualThreads) {
		Map<String, Object> properties = common();
		properties.put("server.address", "127.0.0.1");
		properties.put("server.port", 0);
		// Tomcat closes a keep-alive connection after 100 requests by default; every
		// other peer keeps its connections for the whole run, and the load generator
		// counts a closed connection as a failure.
		properties.put("server.tomcat.max-keep-alive-requests", -1);
		properties.put("spring.threads.virtual.enabled", virtualThreads);
		properties.put("spring.autoconfigure.exclude", String.join(",", stampAutoConfigurations()));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(configuration)
			.web(WebApplicationType.SERVLET)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
		requireWebServer(context, "TomcatWebServer");
		return context;
	}

	/**
	 * Fails unless the context runs this web server: with Reactor Netty and Tomcat on one
	 * class path, a peer on the wrong server would measure something else.
	 */
	private static void requireWebServer(ConfigurableApplicationContext context, String simpleName) {
		WebServer server = ((WebServerApplicationContext) context).getWebServer();
		if (server == null || !server.getClass().getSimpleName().equals(simpleName)) {
			context.close();
			throw new IllegalStateException("Expected a " + simpleName + " but got " + server);
		}
	}

	/**
	 * Every auto-configuration class Stamp registers, read from the class path's
	 * {@code AutoConfiguration.imports}.
	 */
	static List<String> stampAutoConfigurations() {
		List<String> classes = new ArrayList<>();
		try {
			Enumeration<URL> imports = SpringApps.class.getClassLoader()
				.getResources("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
			while (imports.hasMoreElements()) {
				try (InputStream in = imports.nextElement().openStream()) {
					for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
						String name = line.trim();
						if (name.startsWith("dev.stamp.")) {
							classes.add(name);
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return classes;
	}

	static int port(ConfigurableApplicationContext context, String property) {
		Integer port = context.getEnvironment().getProperty(property, Integer.class);
		if (port == null) {
			throw new IllegalStateException("No " + property + " in " + context.getId());
		}
		return port;
	}

	private static Map<String, Object> common() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("logging.level.root", "WARN");
		properties.put("spring.jmx.enabled", false);
		return properties;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StampReactiveApp {

		@Bean
		BenchRoutes.Reactive reactiveRoutes() {
			return new BenchRoutes.Reactive();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StampBlockingApp {

		@Bean
		BenchRoutes.Blocking blockingRoutes() {
			return new BenchRoutes.Blocking();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StampWebSocketApp {

		@Bean
		BenchRoutes.WebSocketOnly webSocketRoutes() {
			return new BenchRoutes.WebSocketOnly();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StampSoakApp {

		@Bean
		BenchRoutes.Reactive reactiveRoutes() {
			return new BenchRoutes.Reactive();
		}

		@Bean
		BenchRoutes.Rooms rooms() {
			return new BenchRoutes.Rooms();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StampRoomApp {

		@Bean
		BenchRoutes.Room roomRoutes() {
			return new BenchRoutes.Room();
		}

	}

	/** Nothing but auto-configuration: the echo endpoint comes from a property. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StampWebTransportApp {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(HelloController.class)
	static class WebFluxApp {

	}

	/** Spring MVC on Tomcat: the same controller as the WebFlux peer. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(HelloController.class)
	static class TomcatMvcApp {

	}

	/**
	 * Spring MVC on Tomcat with the servlet WebSocket echo as well: one Tomcat serves the
	 * {@code tomcat-mvc} and {@code tomcat-websocket} peers.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableWebSocket
	@Import(HelloController.class)
	static class TomcatWebSocketApp implements WebSocketConfigurer {

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new EchoWebSocketHandler(), Payloads.ECHO_PATH);
		}

		/** The same largest message as Stamp's and the raw peer's. */
		@Bean
		ServletServerContainerFactoryBean webSocketContainer() {
			ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
			container.setMaxTextMessageBufferSize(Payloads.MAX_WS_MESSAGE);
			container.setMaxBinaryMessageBufferSize(Payloads.MAX_WS_MESSAGE);
			return container;
		}

	}

	/** What a servlet WebSocket user writes today: send each text message back. */
	static class EchoWebSocketHandler extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			session.sendMessage(new TextMessage(message.getPayload()));
		}

	}

	/** What a WebFlux user (and a Spring MVC user) writes today. */
	@RestController
	static class HelloController {

		@GetMapping(path = Payloads.HELLO_PATH, produces = "text/plain;charset=UTF-8")
		String hello() {
			return Payloads.HELLO;
		}

	}

}
