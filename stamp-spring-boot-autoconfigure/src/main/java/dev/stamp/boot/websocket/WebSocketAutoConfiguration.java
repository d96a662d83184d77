package dev.stamp.boot.websocket;

import java.util.List;

import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampProperties;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.listener.StampListenerFactory;
import dev.stamp.boot.routing.StampRoutes;
import dev.stamp.boot.topic.StampTopics;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the WebSocket listener ({@code stamp.websocket.*}). It starts
 * when a {@link dev.stamp.boot.StampRoute} method takes a {@link WebSocketConnection}.
 * The server can be customized further with {@link StampWebSocketServerCustomizer} beans;
 * the connected clients are listed by the {@link WebSocketConnections} bean.
 */
@AutoConfiguration(after = StampAutoConfiguration.class)
@ConditionalOnClass(HttpServer.class)
@ConditionalOnBean(ListenerContext.class)
@ConditionalOnBooleanProperty(name = "stamp.websocket.enabled", matchIfMissing = true)
public final class WebSocketAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebSocketConnections stampWebSocketConnections() {
		return new WebSocketConnections();
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketRooms stampWebSocketRooms(StampTopics topics) {
		return new WebSocketRooms(topics);
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketListener stampWebSocketListener(StampProperties properties, StampRoutes routes, WebSocketRooms rooms,
			ListenerContext context, ObjectProvider<StampWebSocketServerCustomizer> customizers,
			WebSocketConnections connections) {
		return new WebSocketListener(settings(properties.getWebsocket()), routes, rooms, context,
				customizers.orderedStream().toList(), connections);
	}

	@Bean
	@ConditionalOnMissingBean(name = "stampWebSocketListenerFactory")
	StampListenerFactory<WebSocketListenerSettings> stampWebSocketListenerFactory(StampProperties properties,
			StampRoutes routes, WebSocketRooms rooms, ListenerContext context,
			ObjectProvider<StampWebSocketServerCustomizer> customizers, WebSocketConnections connections) {
		List<StampWebSocketServerCustomizer> applied = customizers.orderedStream().toList();
		return new StampListenerFactory<>(StampProtocol.WEBSOCKET, WebSocketListenerSettings.class,
				(settings) -> new WebSocketListener(settings, routes, rooms, context, applied, connections),
				properties.getWebsocket().buildAdditionalListenerSettings(() -> settings(properties.getWebsocket())));
	}

	private static WebSocketListenerSettings settings(StampProperties.WebSocket properties) {
		WebSocketListenerSettings settings = properties.applyTo(new WebSocketListenerSettings());
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getMaxMessageSize).to(settings::setMaxMessageSize);
		map.from(properties::getMaxPendingOutbound).to(settings::setMaxPendingOutbound);
		map.from(properties::getSlowReaderCloseTimeout).to(settings::setSlowReaderCloseTimeout);
		map.from(properties::isCompression).to(settings::setCompression);
		map.from(properties::getHandshakeTimeout).to(settings::setHandshakeTimeout);
		return settings;
	}

}
