package dev.stamp.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The spec's server examples as one Spring Boot application: a TCP echo, a WebSocket echo
 * and chat, and an HTTP site with a small JSON API and a browser chat page.
 * <p>
 * Every endpoint is a {@link dev.stamp.boot.StampRoute} method on an ordinary bean,
 * grouped by feature: {@link dev.stamp.sample.echo.EchoRoutes},
 * {@link dev.stamp.sample.chat.ChatRoutes}, {@link dev.stamp.sample.api.ApiRoutes} and
 * {@link dev.stamp.sample.web.PageRoutes}. Ports come from {@code application.yml} and
 * can be overridden with {@code --stamp.<protocol>.port=}.
 */
@SpringBootApplication
public class StampSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(StampSampleApplication.class, args);
	}

}
