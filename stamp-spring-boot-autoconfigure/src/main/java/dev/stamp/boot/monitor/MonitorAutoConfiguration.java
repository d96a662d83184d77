package dev.stamp.boot.monitor;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.StampProperties;
import dev.stamp.boot.listener.ListenerContext;
import dev.stamp.boot.listener.StampListenerRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@link StampMonitor} ({@code stamp.monitor.*}) and the
 * {@link ConfigurationDiagnosis}.
 */
@AutoConfiguration(after = StampAutoConfiguration.class)
@ConditionalOnBean(ListenerContext.class)
public final class MonitorAutoConfiguration {

	@Bean
	@ConditionalOnBooleanProperty(name = "stamp.monitor.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean
	StampMonitor stampMonitor(StampProperties properties, StampListenerRegistry listeners) {
		StampProperties.Monitor monitor = properties.getMonitor();
		return new StampMonitor(listeners.liveListeners(), monitor.getInterval(), monitor.getHistorySize(),
				monitor.getAlertHistorySize(), monitor.getUtilizationThreshold(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	ConfigurationDiagnosis stampConfigurationDiagnosis(StampProperties properties, StampListenerRegistry listeners) {
		return new ConfigurationDiagnosis(properties.getShutdown().getGracePeriod(),
				properties.getBlocking().getMaxThreads(), listeners.liveListeners());
	}

}
