package dev.stamp.boot.diagnostics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampAutoConfiguration;
import dev.stamp.boot.middleware.RateLimitScopeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A cluster-wide rate limit without a cluster: the analysis names both properties.
 */
@ExtendWith(OutputCaptureExtension.class)
class RateLimitScopeFailureAnalyzerTests {

	@Test
	void namesTheScopeAndTheClusterProperty() {
		FailureAnalysis analysis = new RateLimitScopeFailureAnalyzer()
			.analyze(new IllegalStateException("wrapped", new RateLimitScopeException()));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("'stamp.middleware.rate-limit.scope' is 'cluster'")
			.contains("'stamp.cluster.enabled' is not true");
		assertThat(analysis.getAction()).contains("Set 'stamp.cluster.enabled=true'")
			.contains("'stamp.middleware.rate-limit.scope=local'");
	}

	@Test
	void aFailedStartPrintsTheAnalysis(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		try {
			assertThatException().isThrownBy(() -> application.run("--stamp.middleware.rate-limit.enabled=true",
					"--stamp.middleware.rate-limit.scope=cluster"));
		}
		finally {
			System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
		}
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The property 'stamp.middleware.rate-limit.scope' is 'cluster'")
			.contains("Set 'stamp.cluster.enabled=true'");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(StampAutoConfiguration.class)
	static class Application {

	}

}
