package dev.stamp.boot.webtransport;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampProperties;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.listener.StampListenerFactory;
import dev.stamp.boot.listener.StampListenerRegistry;
import dev.stamp.boot.routing.StampRoutes;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.webtransport.server.WebTransportServer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the WebTransport listener ({@code stamp.webtransport.*}). It
 * starts when a {@link dev.stamp.boot.StampRoute} method takes a
 * {@link dev.stamp.webtransport.WebTransportSession}. The engine can be customized
 * further with {@link WebTransportServerCustomizer} beans; the open sessions are listed
 * by the {@link WebTransportSessions} bean.
 */
@AutoConfiguration(after = StampAutoConfiguration.class)
@ConditionalOnClass(WebTransportServer.class)
@ConditionalOnBean(ListenerContext.class)
@ConditionalOnBooleanProperty(name = "stamp.webtransport.enabled", matchIfMissing = true)
public final class WebTransportAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WebTransportSessions stampWebTransportSessions() {
		return new WebTransportSessions();
	}

	@Bean
	@ConditionalOnMissingBean
	WebTransportTopics stampWebTransportTopics(StampTopics topics) {
		return new WebTransportTopics(topics);
	}

	@Bean
	@ConditionalOnMissingBean
	WebTransportListener stampWebTransportListener(StampProperties properties, StampRoutes routes,
			ListenerContext context, ObjectProvider<WebTransportServerCustomizer> customizers,
			WebTransportSessions sessions) {
		return new WebTransportListener(settings(properties.getWebtransport()), routes, context,
				customizers.orderedStream().toList(), sessions);
	}

	@Bean
	@ConditionalOnMissingBean(name = "stampWebTransportListenerFactory")
	StampListenerFactory<WebTransportListenerSettings> stampWebTransportListenerFactory(StampProperties properties,
			StampRoutes routes, ListenerContext context, ObjectProvider<WebTransportServerCustomizer> customizers) {
		List<WebTransportServerCustomizer> applied = customizers.orderedStream().toList();
		return new StampListenerFactory<>(StampProtocol.WEBTRANSPORT, WebTransportListenerSettings.class,
				(settings) -> new WebTransportListener(settings, routes, context, applied), properties.getWebtransport()
					.buildAdditionalListenerSettings(() -> settings(properties.getWebtransport())));
	}

	private static WebTransportListenerSettings settings(StampProperties.WebTransport properties) {
		WebTransportListenerSettings settings = properties.applyTo(new WebTransportListenerSettings());
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getMaxSessions).to(settings::setMaxSessions);
		map.from(properties::getMaxSessionsPerConnection).to(settings::setMaxSessionsPerConnection);
		map.from(properties::getMaxStreamsPerSession).to(settings::setMaxStreamsPerSession);
		map.from(properties::getMaxDatagramSize).to(settings::setMaxDatagramSize);
		map.from(properties::getHandshakeTimeout).to(settings::setHandshakeTimeout);
		map.from(properties::getEventLoopThreads).to(settings::setEventLoopThreads);
		map.from(properties::isAddressValidation).to(settings::setAddressValidation);
		map.from(properties::getQlogDirectory).to(settings::setQlogDirectory);
		map.from(properties::getSocketReceiveBuffer).to(settings::setSocketReceiveBuffer);
		map.from(properties::getSocketSendBuffer).to(settings::setSocketSendBuffer);
		return settings;
	}

	@Bean
	@ConditionalOnProperty("stamp.webtransport.echo-path")
	@ConditionalOnMissingBean
	WebTransportEchoRoute stampWebTransportEchoRoute() {
		return new WebTransportEchoRoute();
	}

	@Bean
	@ConditionalOnProperty("stamp.webtransport.health-path")
	@ConditionalOnMissingBean
	WebTransportHealthRoute stampWebTransportHealthRoute(StampListenerRegistry listeners) {
		return new WebTransportHealthRoute(listeners.liveListeners());
	}

}
