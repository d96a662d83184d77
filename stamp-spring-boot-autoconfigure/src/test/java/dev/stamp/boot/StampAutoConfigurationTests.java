package dev.stamp.boot;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import dev.stamp.boot.actuate.StampActuatorAutoConfiguration;
import dev.stamp.boot.http.HttpAutoConfiguration;
import dev.stamp.boot.http.HttpListener;
import dev.stamp.boot.http.HttpListenerSettings;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.http.JsonWriter;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.listener.ListenerPorts;
import dev.stamp.boot.middleware.OriginMiddleware;
import dev.stamp.boot.monitor.MonitorAutoConfiguration;
import dev.stamp.boot.monitor.StampMonitor;
import dev.stamp.boot.routing.InvalidRouteSignatureException;
import dev.stamp.boot.routing.StampRoutes;
import dev.stamp.boot.tcp.TcpAutoConfiguration;
import dev.stamp.boot.tcp.TcpConnection;
import dev.stamp.boot.tcp.TcpListener;
import dev.stamp.boot.tcp.TcpListenerSettings;
import dev.stamp.boot.websocket.WebSocketAutoConfiguration;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.boot.websocket.WebSocketListener;
import dev.stamp.boot.websocket.WebSocketListenerSettings;
import dev.stamp.boot.webtransport.WebTransportAutoConfiguration;
import dev.stamp.boot.webtransport.WebTransportListener;
import dev.stamp.boot.webtransport.WebTransportListenerSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration back-off, conditions, property binding and start-up failures, with
 * {@link org.springframework.boot.test.context.runner.ApplicationContextRunner}.
 */
class StampAutoConfigurationTests {

	@Test
	void listenersExistButStayIdleWithoutRoutes() {
		StampContextRunner.create().run((context) -> {
			assertThat(context).hasSingleBean(TcpListener.class)
				.hasSingleBean(WebSocketListener.class)
				.hasSingleBean(HttpListener.class)
				.hasSingleBean(StampRoutes.class);
			assertThat(context.getBean(TcpListener.class).isRunning()).isFalse();
			assertThat(context.getBean(WebSocketListener.class).isRunning()).isFalse();
			assertThat(context.getBean(HttpListener.class).isRunning()).isFalse();
			assertThat(context.getEnvironment().getProperty("local.stamp.http.port")).isNull();
		});
	}

	@Test
	void routesStartOnlyTheirProtocolsListenerAndPublishItsPort() {
		StampContextRunner.create().withUserConfiguration(WebSocketRoutes.class).run((context) -> {
			assertThat(context.getBean(WebSocketListener.class).isRunning()).isTrue();
			assertThat(context.getBean(TcpListener.class).isRunning()).isFalse();
			int port = context.getBean(WebSocketListener.class).port();
			assertThat(port).isPositive();
			assertThat(context.getEnvironment().getProperty("local.stamp.websocket.port", Integer.class))
				.isEqualTo(port);
			assertThat(context.getBean(ListenerPorts.class).port(StampProtocol.WEBSOCKET)).isEqualTo(port);
		});
	}

	@Test
	void enabledTrueStartsAListenerWithoutRoutes() {
		StampContextRunner.create()
			.withPropertyValues("stamp.http.enabled=true")
			.run((context) -> assertThat(context.getBean(HttpListener.class).isRunning()).isTrue());
	}

	@Test
	void enabledFalseBacksTheListenerOffEvenWithRoutes() {
		StampContextRunner.create()
			.withUserConfiguration(TcpRoutes.class)
			.withPropertyValues("stamp.tcp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TcpListener.class));
	}

	@Test
	void stampCanBeSwitchedOffByPropertyOrByExcludingItsAutoConfiguration() {
		ApplicationContextRunner everything = StampContextRunner.create()
			.withConfiguration(
					AutoConfigurations.of(MonitorAutoConfiguration.class, StampActuatorAutoConfiguration.class))
			.withUserConfiguration(TcpRoutes.class);
		everything.withPropertyValues("stamp.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ListenerContext.class)
				.doesNotHaveBean(TcpListener.class)
				.doesNotHaveBean(StampMonitor.class));
		// What spring.autoconfigure.exclude does in an application: every Stamp
		// auto-configuration but the base one.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TcpAutoConfiguration.class, WebSocketAutoConfiguration.class,
					HttpAutoConfiguration.class, WebTransportAutoConfiguration.class, MonitorAutoConfiguration.class,
					StampActuatorAutoConfiguration.class))
			.withUserConfiguration(TcpRoutes.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TcpListener.class)
				.doesNotHaveBean(StampMonitor.class));
	}

	@Test
	void userDefinedBeansWin() {
		StampContextRunner.create().withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(TcpListener.class)).isSameAs(context.getBean(UserBeans.class).listener);
			assertThat(context.getBean(JsonWriter.class)).isSameAs(UserBeans.JSON_WRITER);
		});
	}

	@Test
	void withoutReactorNettyNoListenerIsConfigured() {
		StampContextRunner.create()
			.withClassLoader(new FilteredClassLoader(TcpServer.class, reactor.netty.http.server.HttpServer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TcpListener.class)
				.doesNotHaveBean(HttpListener.class)
				.doesNotHaveBean(WebSocketListener.class));
	}

	@Test
	void propertiesBindWithDurationsAndDataSizes() {
		StampContextRunner.create()
			.withPropertyValues("stamp.http.max-request-size=2MB", "stamp.http.idle-timeout=45s",
					"stamp.websocket.allowed-origins=https://a.example,https://b.example",
					"stamp.websocket.max-message-size=128KB", "stamp.tcp.max-connections=42",
					"stamp.shutdown.grace-period=3s", "stamp.blocking.max-threads=8")
			.run((context) -> {
				StampProperties properties = context.getBean(StampProperties.class);
				assertThat(properties.getHttp().getMaxRequestSize()).isEqualTo(DataSize.ofMegabytes(2));
				assertThat(properties.getHttp().getIdleTimeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(properties.getWebsocket().getAllowedOrigins()).containsExactly("https://a.example",
						"https://b.example");
				assertThat(properties.getWebsocket().getMaxMessageSize()).isEqualTo(DataSize.ofKilobytes(128));
				assertThat(properties.getTcp().getMaxConnections()).isEqualTo(42);
				assertThat(properties.getBlocking().getMaxThreads()).isEqualTo(8);
				assertThat(context.getBean(ListenerContext.class).gracePeriod()).isEqualTo(Duration.ofSeconds(3));
				assertThat(context.getBean(TcpListener.class).registry().maxConnections()).isEqualTo(42);
			});
	}

	@Test
	void propertiesAreMappedOntoEachListenersSettings() {
		StampContextRunner.create()
			.withPropertyValues("stamp.tcp.linger-timeout=2s", "stamp.tcp.idle-timeout=0s", "stamp.tcp.ssl.bundle=tcp",
					"stamp.websocket.compression=true", "stamp.websocket.max-message-size=32KB",
					"stamp.websocket.allowed-origins=https://a.example", "stamp.http.max-header-size=4KB",
					"stamp.http.request-body-timeout=0s", "stamp.webtransport.max-sessions=12",
					"stamp.webtransport.enabled=false")
			.run((context) -> {
				TcpListenerSettings tcp = (TcpListenerSettings) context.getBean(TcpListener.class).settings();
				assertThat(tcp.getHost()).isEqualTo("127.0.0.1");
				assertThat(tcp.getPort()).isZero();
				assertThat(tcp.getLingerTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(tcp.getIdleTimeout()).isZero();
				assertThat(tcp.getSslBundle()).isEqualTo("tcp");
				assertThat(tcp.getEnabled()).isNull();
				WebSocketListenerSettings websocket = (WebSocketListenerSettings) context
					.getBean(WebSocketListener.class)
					.settings();
				assertThat(websocket.isCompression()).isTrue();
				assertThat(websocket.getMaxMessageSize()).isEqualTo(DataSize.ofKilobytes(32));
				assertThat(context.getBean(OriginMiddleware.class).appliesTo(StampProtocol.WEBSOCKET)).isTrue();
				assertThat(websocket.getIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
				HttpListenerSettings http = (HttpListenerSettings) context.getBean(HttpListener.class).settings();
				assertThat(http.getMaxHeaderSize()).isEqualTo(DataSize.ofKilobytes(4));
				assertThat(http.getRequestBodyTimeout()).isZero();
				assertThat(http.getMaxRequestSize()).isEqualTo(DataSize.ofMegabytes(1));
				assertThat(context).doesNotHaveBean(WebTransportListener.class);
			});
	}

	@Test
	void settingsWithoutPropertiesHaveTheListenersDefaults() {
		StampProperties properties = new StampProperties();
		assertThat(new TcpListenerSettings()).usingRecursiveComparison()
			.comparingOnlyFields("port", "host", "maxConnections", "idleTimeout", "lingerTimeout")
			.isEqualTo(properties.getTcp());
		assertThat(new WebSocketListenerSettings()).usingRecursiveComparison()
			.comparingOnlyFields("port", "host", "maxConnections", "idleTimeout", "maxMessageSize",
					"maxPendingOutbound", "slowReaderCloseTimeout", "compression", "handshakeTimeout")
			.isEqualTo(properties.getWebsocket());
		assertThat(new HttpListenerSettings()).usingRecursiveComparison()
			.comparingOnlyFields("port", "host", "maxConnections", "idleTimeout", "maxRequestSize", "maxHeaderSize",
					"requestHeaderTimeout", "requestBodyTimeout")
			.isEqualTo(properties.getHttp());
		assertThat(new WebTransportListenerSettings()).usingRecursiveComparison()
			.comparingOnlyFields("port", "host", "maxConnections", "idleTimeout", "maxSessions",
					"maxSessionsPerConnection", "maxStreamsPerSession", "maxDatagramSize", "handshakeTimeout",
					"eventLoopThreads", "addressValidation", "qlogDirectory")
			.isEqualTo(properties.getWebtransport());
	}

	@Test
	void listenersRunOnStampsOwnLoopResourcesEvenBesideAnotherLoopResourcesBean() {
		StampContextRunner.create()
			.withUserConfiguration(OtherLoopResources.class)
			.run((context) -> assertThat(context.getBean(ListenerContext.class).loopResources())
				.isSameAs(context.getBean("stampLoopResources"))
				.isNotSameAs(context.getBean("otherLoopResources")));
	}

	@Test
	void defaultsAreProductionSizedAndAvoidServerPort() {
		StampProperties properties = new StampProperties();
		assertThat(properties.getTcp().getPort()).isEqualTo(7070);
		assertThat(properties.getWebsocket().getPort()).isEqualTo(9000);
		assertThat(properties.getHttp().getPort()).isEqualTo(8000);
		assertThat(List.of(properties.getTcp(), properties.getWebsocket(), properties.getHttp()))
			.allSatisfy((listener) -> {
				assertThat(listener.getMaxConnections()).isEqualTo(10_000);
				assertThat(listener.getPort()).isNotEqualTo(8080);
			});
	}

	@Test
	void routeWhoseProtocolCannotBeToldFailsTheStartWithAClearMessage() {
		StampContextRunner.create().withUserConfiguration(AmbiguousRoute.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidRouteSignatureException.class)
				.hasMessageContaining("does not tell its protocol")
				.hasMessageContaining("mystery");
		});
	}

	@Test
	void routeWithAnUnsupportedParameterFailsTheStart() {
		StampContextRunner.create().withUserConfiguration(UnsupportedParameterRoute.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(
						"has a parameter of type java.lang.Integer that a websocket route cannot receive");
		});
	}

	@Test
	void twoTcpRoutesFailTheStart() {
		StampContextRunner.create().withUserConfiguration(TcpRoutes.class, MoreTcpRoutes.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("A TCP listener serves one handler, but 2");
		});
	}

	@Test
	void theSameMethodAndPathRoutedTwiceFailsTheStart() {
		StampContextRunner.create().withUserConfiguration(DuplicateHttpRoutes.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("GET /twice is routed twice");
		});
	}

	@Test
	void ambiguousPathVariablesFailTheStartNamingBothRoutes() {
		StampContextRunner.create().withUserConfiguration(AmbiguousWebSocketRoutes.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("/users/{id} (")
				.hasMessageContaining("#byId(WebSocketConnection, String))")
				.hasMessageContaining("/users/{name} (")
				.hasMessageContaining("#byName(WebSocketConnection, String))")
				.hasMessageContaining("are ambiguous");
		});
	}

	@Test
	void theSamePathOnTwoWebSocketRoutesFailsTheStartNamingBoth() {
		StampContextRunner.create().withUserConfiguration(DuplicateWebSocketRoutes.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("Path /rooms/{name} is routed twice: to ")
				.hasMessageContaining("#first(WebSocketConnection, String)")
				.hasMessageContaining("#second(WebSocketConnection, String)");
		});
	}

	@Test
	void oneHttpPathSpelledTwoWaysForTwoMethodsFailsTheStart() {
		StampContextRunner.create().withUserConfiguration(HttpPathSpelledTwoWays.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("/users/{id} (")
				.hasMessageContaining("#read(HttpRequest))")
				.hasMessageContaining("/users/{userId} (")
				.hasMessageContaining("#delete(HttpRequest))")
				.hasMessageContaining("are ambiguous")
				.hasMessageContaining("Spell the path the same way");
		});
	}

	@Test
	void protocolDeclaredAgainstTheParametersFailsTheStart() {
		StampContextRunner.create().withUserConfiguration(ContradictoryRoute.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("declares protocol TCP but its parameters are those of HTTP");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class WebSocketRoutes {

		@StampRoute("/echo")
		String echo(WebSocketConnection client, String message) {
			return message;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TcpRoutes {

		@StampRoute
		void echo(TcpConnection connection) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MoreTcpRoutes {

		@StampRoute
		void other(TcpConnection connection) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherLoopResources {

		@Bean(destroyMethod = "dispose")
		LoopResources otherLoopResources() {
			return LoopResources.create("other", 1, true);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final JsonWriter JSON_WRITER = (value) -> new byte[0];

		TcpListener listener;

		@Bean
		TcpListener customTcpListener(StampProperties properties, StampRoutes routes, ListenerContext context) {
			TcpListenerSettings settings = new TcpListenerSettings();
			settings.setHost(properties.getTcp().getHost());
			settings.setPort(properties.getTcp().getPort());
			this.listener = new TcpListener(settings, routes, context);
			return this.listener;
		}

		@Bean
		JsonWriter customJsonWriter() {
			return JSON_WRITER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AmbiguousRoute {

		@StampRoute("/x")
		String mystery(String input) {
			return input;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnsupportedParameterRoute {

		@StampRoute("/x")
		void handle(WebSocketConnection client, Integer number) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateHttpRoutes {

		@StampRoute(path = "/twice", method = dev.stamp.boot.HttpMethod.GET)
		String first(HttpRequest request) {
			return "1";
		}

		@StampRoute(path = "/twice", method = dev.stamp.boot.HttpMethod.GET)
		String second(HttpRequest request) {
			return "2";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AmbiguousWebSocketRoutes {

		@StampRoute("/users/{id}")
		void byId(WebSocketConnection client, String message) {
		}

		@StampRoute("/users/{name}")
		void byName(WebSocketConnection client, String message) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateWebSocketRoutes {

		@StampRoute("/rooms/{name}")
		void first(WebSocketConnection client, String message) {
		}

		@StampRoute("/rooms/{name}")
		void second(WebSocketConnection client, String message) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HttpPathSpelledTwoWays {

		@StampRoute(path = "/users/{id}", method = dev.stamp.boot.HttpMethod.GET)
		String read(HttpRequest request) {
			return request.pathVariable("id");
		}

		@StampRoute(path = "/users/{userId}", method = dev.stamp.boot.HttpMethod.DELETE)
		String delete(HttpRequest request) {
			return request.pathVariable("userId");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ContradictoryRoute {

		@StampRoute(path = "/x", protocol = StampProtocol.TCP)
		String handle(HttpRequest request) {
			return "";
		}

	}

}
