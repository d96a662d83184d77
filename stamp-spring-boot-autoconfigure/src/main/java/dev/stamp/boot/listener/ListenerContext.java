package dev.stamp.boot.listener;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;

import dev.stamp.boot.middleware.MiddlewareChain;
import dev.stamp.boot.topic.StampTopics;

/**
 * What the application context gives every listener: its event loops, the scheduler for
 * blocking handlers, TLS bundles, the port registry, the shutdown grace period, the
 * middleware and the topics.
 *
 * @param loopResources Stamp's own Netty event loops, separate from the web server's
 * @param blockingHandlers where handlers that may block run
 * @param sslBundles the application's SSL bundles, or {@code null} if there are none
 * @param ports where bound ports are published
 * @param gracePeriod how long a stop waits for in-flight work
 * @param middleware the application's middleware, shared by every listener
 * @param events where listeners announce that they started and stopped
 * @param topics the node's topics, which WebSocket rooms are published on
 */
public record ListenerContext(LoopResources loopResources, BlockingHandlerScheduler blockingHandlers,
		@Nullable SslBundles sslBundles, ListenerPorts ports, Duration gracePeriod, MiddlewareChain middleware,
		ApplicationEventPublisher events, StampTopics topics) {
}
