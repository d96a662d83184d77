package dev.stamp.boot;

import java.util.Map;

import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;

import dev.stamp.boot.listener.BlockingHandlerScheduler;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.listener.ListenerPorts;
import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.listener.StampListenerFactory;
import dev.stamp.boot.listener.StampListenerRegistry;
import dev.stamp.boot.middleware.LocalRateLimitCounter;
import dev.stamp.boot.middleware.LoggingMiddleware;
import dev.stamp.boot.middleware.MiddlewareChain;
import dev.stamp.boot.middleware.OriginMiddleware;
import dev.stamp.boot.middleware.OriginPolicy;
import dev.stamp.boot.middleware.RateLimitCounter;
import dev.stamp.boot.middleware.RateLimitMiddleware;
import dev.stamp.boot.middleware.RateLimitScopeException;
import dev.stamp.boot.middleware.StampMiddleware;
import dev.stamp.boot.routing.StampRouteDiscoverer;
import dev.stamp.boot.routing.StampRoutes;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.topic.TopicPresence;
import dev.stamp.boot.topic.TopicRelay;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of what every Stamp listener shares: route discovery, event loops,
 * the blocking-handler scheduler, published ports and the {@link StampListenerRegistry};
 * switched off, with every listener, by {@code stamp.enabled=false} or by excluding this
 * class. The protocols are configured by {@link dev.stamp.boot.tcp.TcpAutoConfiguration},
 * {@link dev.stamp.boot.websocket.WebSocketAutoConfiguration} and
 * {@link dev.stamp.boot.http.HttpAutoConfiguration}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnBooleanProperty(name = "stamp.enabled", matchIfMissing = true)
@EnableConfigurationProperties(StampProperties.class)
public final class StampAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StampRoutes stampRoutes() {
		return new StampRoutes();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static StampRouteDiscoverer stampRouteDiscoverer(BeanFactory beanFactory) {
		return new StampRouteDiscoverer(beanFactory);
	}

	@Bean(destroyMethod = "dispose")
	@ConditionalOnMissingBean(name = "stampLoopResources")
	LoopResources stampLoopResources() {
		// Stamp's own event loops: stopping the application's web server never stalls
		// Stamp's listeners, or back.
		return LoopResources.create("stamp", LoopResources.DEFAULT_IO_WORKER_COUNT, true);
	}

	@Bean
	@ConditionalOnMissingBean
	BlockingHandlerScheduler stampBlockingHandlerScheduler(StampProperties properties) {
		return new BlockingHandlerScheduler(properties.getBlocking().getMaxThreads(),
				properties.getBlocking().getQueueCapacity());
	}

	@Bean
	@ConditionalOnMissingBean
	StampTopics stampTopics(StampProperties properties, ObjectProvider<TopicRelay> relay,
			ObjectProvider<TopicPresence> presence) {
		return new StampTopics(properties.getTopics().getSubscriberBufferSize(), relay.getIfUnique(),
				presence.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	ListenerPorts stampListenerPorts(ConfigurableEnvironment environment) {
		return new ListenerPorts(environment);
	}

	@Bean
	@ConditionalOnMissingBean
	StampListenerRegistry stampListenerRegistry(ObjectProvider<StampListener> listeners,
			ObjectProvider<StampListenerFactory<?>> factories) {
		return new StampListenerRegistry(listeners, factories);
	}

	@Bean
	@ConditionalOnMissingBean
	MiddlewareChain stampMiddlewareChain(ObjectProvider<StampMiddleware> middleware) {
		return new MiddlewareChain(middleware.orderedStream().toList());
	}

	@Bean
	@ConditionalOnBooleanProperty("stamp.middleware.rate-limit.enabled")
	@ConditionalOnMissingBean
	RateLimitMiddleware stampRateLimitMiddleware(StampProperties properties,
			ObjectProvider<RateLimitCounter> counters) {
		StampProperties.Middleware.RateLimit rateLimit = properties.getMiddleware().getRateLimit();
		RateLimitCounter counter = counters.getIfAvailable(() -> localCounter(rateLimit));
		return new RateLimitMiddleware(rateLimit.getMaxRequests(), rateLimit.getWindow(), rateLimit.getProtocols(),
				counter);
	}

	private static RateLimitCounter localCounter(StampProperties.Middleware.RateLimit rateLimit) {
		if (rateLimit.getScope() == StampProperties.Middleware.RateLimit.Scope.CLUSTER) {
			// The cluster's auto-configuration supplies the Redis counter; without it
			// counting locally would quietly multiply the limit by the number of nodes.
			throw new RateLimitScopeException();
		}
		return new LocalRateLimitCounter(rateLimit.getWindow(), rateLimit.getMaxTrackedClients());
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@ConditionalOnBooleanProperty("stamp.middleware.logging.enabled")
	@ConditionalOnMissingBean
	LoggingMiddleware stampLoggingMiddleware() {
		return new LoggingMiddleware();
	}

	@Bean
	@Order(OriginMiddleware.ORDER)
	@ConditionalOnMissingBean
	OriginMiddleware stampOriginMiddleware(StampProperties properties) {
		StampProperties.WebSocket webSocket = properties.getWebsocket();
		StampProperties.WebTransport webTransport = properties.getWebtransport();
		return new OriginMiddleware(Map.of(StampProtocol.WEBSOCKET,
				new OriginPolicy(webSocket.getAllowedOrigins(), webSocket.isAllowMissingOrigin()),
				StampProtocol.WEBTRANSPORT,
				new OriginPolicy(webTransport.getAllowedOrigins(), webTransport.isAllowMissingOrigin())));
	}

	@Bean
	@ConditionalOnMissingBean
	ListenerContext stampListenerContext(BlockingHandlerScheduler scheduler, ObjectProvider<SslBundles> sslBundles,
			ListenerPorts ports, StampProperties properties, MiddlewareChain middleware,
			ApplicationEventPublisher events, @Qualifier("stampLoopResources") LoopResources loops,
			StampTopics topics) {
		return new ListenerContext(loops, scheduler, sslBundles.getIfAvailable(), ports,
				properties.getShutdown().getGracePeriod(), middleware, events, topics);
	}

}
