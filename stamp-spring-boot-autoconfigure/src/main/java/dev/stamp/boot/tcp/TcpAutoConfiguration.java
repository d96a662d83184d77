package dev.stamp.boot.tcp;

import reactor.netty.tcp.TcpServer;

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
 * Auto-configuration} of the TCP listener ({@code stamp.tcp.*}). It starts when a
 * {@link dev.stamp.boot.StampRoute} method takes a TCP connection.
 */
@AutoConfiguration(after = StampAutoConfiguration.class)
@ConditionalOnClass(TcpServer.class)
@ConditionalOnBean(ListenerContext.class)
@ConditionalOnBooleanProperty(name = "stamp.tcp.enabled", matchIfMissing = true)
public final class TcpAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TcpListener stampTcpListener(StampProperties properties, StampRoutes routes, ListenerContext context) {
		return new TcpListener(properties.getTcp(), routes, context);
	}

}
