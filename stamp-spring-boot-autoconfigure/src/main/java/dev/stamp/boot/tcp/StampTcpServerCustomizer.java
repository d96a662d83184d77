package dev.stamp.boot.tcp;

import reactor.netty.tcp.TcpServer;

/**
 * Callback that customizes the Reactor Netty {@link TcpServer} of the {@link TcpListener}
 * before it binds. Customizers run after Stamp has applied its own settings, so they may
 * override them, in {@link org.springframework.core.annotation.Order @Order}.
 */
@FunctionalInterface
public interface StampTcpServerCustomizer {

	/**
	 * Customizes the server.
	 * @param server the server, configured from {@code stamp.tcp.*}
	 * @return the server to bind, usually derived from the one given
	 */
	TcpServer customize(TcpServer server);

}
