package dev.stamp.boot.websocket;

import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampProperties;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.routing.StampRoutes;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the WebSocket listener ({@code stamp.websocket.*}). It starts
 * when a {@link dev.stamp.boot.StampRoute} method takes a {@link WebSocketConnection}.
 */
@AutoConfiguration(after = StampAutoConfiguration.class)
@ConditionalOnClass(HttpServer.class)
@ConditionalOnBean(ListenerContext.class)
@ConditionalOnBooleanProperty(name = "stamp.websocket.enabled", matchIfMissing = true)
public final class WebSocketAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebSocketListener stampWebSocketListener(StampProperties properties, StampRoutes routes, ListenerContext context) {
		return new WebSocketListener(properties.getWebsocket(), routes, context);
	}

}
