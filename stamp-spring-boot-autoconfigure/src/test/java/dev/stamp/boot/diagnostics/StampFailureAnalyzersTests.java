package dev.stamp.boot.diagnostics;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpAutoConfiguration;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.websocket.WebSocketAutoConfiguration;
import dev.stamp.boot.websocket.WebSocketConnection;
import dev.stamp.webtransport.WebTransportSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Stamp's failure analyzers on the real failures: a port held by another socket, a route
 * method with a parameter its protocol cannot supply, and a route on the path of a
 * built-in one; through {@link SpringApplication} they replace the stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class StampFailureAnalyzersTests {

	@Test
	void portInUseNamesThePropertyToChange() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			StampContextRunner.create()
				.withUserConfiguration(HttpRoutes.class)
				.withPropertyValues("stamp.http.port=" + taken.getLocalPort())
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = new ListenerPortInUseFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getDescription()).contains("http listener")
						.contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
					assertThat(analysis.getAction()).contains("'stamp.http.port'");
				});
		}
	}

	@Test
	void additionalListenerPortInUseNamesItsOwnProperty() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			StampContextRunner.create()
				.withUserConfiguration(HttpRoutes.class)
				.withPropertyValues("stamp.http.additional-listeners[0].host=127.0.0.1",
						"stamp.http.additional-listeners[0].port=" + taken.getLocalPort())
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = new ListenerPortInUseFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getAction()).contains("'stamp.http.additional-listeners[0].port'")
						.contains("published as local.stamp.http.additional-listeners[0].port");
				});
		}
	}

	@Test
	void webTransportPortInUseNamesItsProperty() throws Exception {
		try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			StampContextRunner.create()
				.withPropertyValues("stamp.webtransport.echo-path=/echo",
						"stamp.webtransport.port=" + taken.getLocalPort())
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = new ListenerPortInUseFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getAction()).contains("'stamp.webtransport.port'");
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "stamp.webtransport.echo-path", "stamp.webtransport.health-path" })
	void builtInPathClashNamesTheProperty(String property) {
		StampContextRunner.create()
			.withUserConfiguration(EchoRoute.class)
			.withPropertyValues(property + "=/echo")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new BuiltInPathClashFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription())
					.contains("EchoRoute#echo(WebTransportSession) is declared on /echo")
					.contains("'" + property + "'");
				assertThat(analysis.getAction()).contains("Set '" + property + "' to another path");
			});
	}

	@Test
	void aFailedStartPrintsThePortAnalysisInsteadOfAStackTrace(CapturedOutput output) throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			SpringApplication application = new SpringApplication(HttpApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			application.setBannerMode(Banner.Mode.OFF);
			assertThatException().isThrownBy(
					() -> run(application, "--stamp.http.host=127.0.0.1", "--stamp.http.port=" + taken.getLocalPort()));
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("Stamp's http listener could not start: port " + taken.getLocalPort())
				.contains("set the property 'stamp.http.port' to another port");
		}
	}

	@Test
	void aFailedStartPrintsTheRouteSignatureAnalysis(CapturedOutput output) {
		SpringApplication application = new SpringApplication(BadRouteApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		assertThatException()
			.isThrownBy(() -> run(application, "--stamp.websocket.host=127.0.0.1", "--stamp.websocket.port=0"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The @StampRoute method badRoute#chat(WebSocketConnection, Integer) has a parameter of type "
					+ "java.lang.Integer that a websocket route cannot receive")
			.contains("Change the signature of badRoute#chat(WebSocketConnection, Integer). "
					+ "A websocket route may declare, in any order: [");
	}

	/**
	 * Runs without Boot's logging system, which would otherwise reconfigure logging for
	 * every later test in this JVM (and its output capture).
	 */
	private static void run(SpringApplication application, String... args) {
		System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		try {
			application.run(args);
		}
		finally {
			System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class HttpRoutes {

		@StampRoute(path = "/", method = HttpMethod.GET)
		String home(HttpRequest request) {
			return "home";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ StampAutoConfiguration.class, HttpAutoConfiguration.class })
	static class HttpApplication extends HttpRoutes {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ StampAutoConfiguration.class, WebSocketAutoConfiguration.class })
	static class BadRouteApplication {

		@Bean
		BadRoute badRoute() {
			return new BadRoute();
		}

	}

	static class BadRoute {

		@StampRoute("/chat")
		void chat(WebSocketConnection connection, Integer count) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EchoRoute {

		@StampRoute("/echo")
		Mono<Void> echo(WebTransportSession session) {
			return Mono.never();
		}

	}

}
