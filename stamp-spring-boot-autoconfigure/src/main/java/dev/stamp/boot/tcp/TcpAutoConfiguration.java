package dev.stamp.boot.tcp;

import java.util.List;

import reactor.netty.tcp.TcpServer;

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

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the TCP listener ({@code stamp.tcp.*}). It starts when a
 * {@link dev.stamp.boot.StampRoute} method takes a TCP connection. The server can be
 * customized further with {@link StampTcpServerCustomizer} beans.
 */
@AutoConfiguration(after = StampAutoConfiguration.class)
@ConditionalOnClass(TcpServer.class)
@ConditionalOnBean(ListenerContext.class)
@ConditionalOnBooleanProperty(name = "stamp.tcp.enabled", matchIfMissing = true)
public final class TcpAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TcpListener stampTcpListener(StampProperties properties, StampRoutes routes, ListenerContext context,
			ObjectProvider<StampTcpServerCustomizer> customizers) {
		return new TcpListener(settings(properties.getTcp()), routes, context, customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean(name = "stampTcpListenerFactory")
	StampListenerFactory<TcpListenerSettings> stampTcpListenerFactory(StampProperties properties, StampRoutes routes,
			ListenerContext context, ObjectProvider<StampTcpServerCustomizer> customizers) {
		List<StampTcpServerCustomizer> applied = customizers.orderedStream().toList();
		return new StampListenerFactory<>(StampProtocol.TCP, TcpListenerSettings.class,
				(settings) -> new TcpListener(settings, routes, context, applied),
				properties.getTcp().buildAdditionalListenerSettings(() -> settings(properties.getTcp())));
	}

	private static TcpListenerSettings settings(StampProperties.Tcp properties) {
		TcpListenerSettings settings = properties.applyTo(new TcpListenerSettings());
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getLingerTimeout).to(settings::setLingerTimeout);
		return settings;
	}

}
