package dev.stamp.boot.http;

import reactor.netty.http.server.HttpServer;

/**
 * Callback that customizes the Reactor Netty {@link HttpServer} of the
 * {@link HttpListener} before it binds. Customizers run after Stamp has applied its own
 * settings, so they may override them, in
 * {@link org.springframework.core.annotation.Order @Order}.
 */
@FunctionalInterface
public interface StampHttpServerCustomizer {

	/**
	 * Customizes the server.
	 * @param server the server, configured from {@code stamp.http.*}
	 * @return the server to bind, usually derived from the one given
	 */
	HttpServer customize(HttpServer server);

}
