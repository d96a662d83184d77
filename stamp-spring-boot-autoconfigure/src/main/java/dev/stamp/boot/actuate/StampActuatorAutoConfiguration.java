package dev.stamp.boot.actuate;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.http.HttpAutoConfiguration;
import dev.stamp.boot.listener.StampListener;
import dev.stamp.boot.listener.StampListenerRegistry;
import dev.stamp.boot.monitor.ConfigurationDiagnosis;
import dev.stamp.boot.monitor.MonitorAutoConfiguration;
import dev.stamp.boot.monitor.StampMonitor;
import dev.stamp.boot.tcp.TcpAutoConfiguration;
import dev.stamp.boot.websocket.WebSocketAutoConfiguration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of Stamp's Actuator support: the {@code stamp} health contributor
 * ({@code management.health.stamp.enabled}), listener meters when a {@link MeterRegistry}
 * exists, and the {@code stamp} endpoint when it is exposed (with
 * {@code /actuator/stamp/cluster} when a {@link ClusterContributor} exists).
 */
@AutoConfiguration(
		after = { StampAutoConfiguration.class, TcpAutoConfiguration.class, WebSocketAutoConfiguration.class,
				HttpAutoConfiguration.class, MonitorAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
public final class StampActuatorAutoConfiguration {

	/**
	 * Every listener, including those added later; none when Stamp is switched off.
	 * @param registry the registry, if Stamp runs
	 * @return the registry's live view of its listeners
	 */
	private static List<StampListener> liveListeners(ObjectProvider<StampListenerRegistry> registry) {
		StampListenerRegistry listeners = registry.getIfAvailable();
		return (listeners != null) ? listeners.liveListeners() : List.of();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("stamp")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "stampHealthIndicator")
		StampHealthIndicator stampHealthIndicator(ObjectProvider<StampListenerRegistry> listeners,
				ObjectProvider<StampMonitor> monitor) {
			return new StampHealthIndicator(liveListeners(listeners), monitor.getIfAvailable(), Status.OUT_OF_SERVICE);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterBinder.class, MeterRegistry.class })
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StampListenerMetrics stampListenerMetrics(ObjectProvider<StampListenerRegistry> listeners) {
			return new StampListenerMetrics(liveListeners(listeners));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(StampEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StampEndpoint stampEndpoint(ObjectProvider<StampListenerRegistry> listeners,
				ObjectProvider<StampMonitor> monitor, ObjectProvider<ConfigurationDiagnosis> diagnosis,
				ObjectProvider<ClusterContributor> cluster) {
			return new StampEndpoint(liveListeners(listeners), monitor.getIfAvailable(), diagnosis.getIfAvailable(),
					cluster.getIfAvailable());
		}

	}

}
