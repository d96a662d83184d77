package dev.stamp.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.stamp.boot.middleware.RateLimitScopeException;

/**
 * Explains a cluster-wide rate limit without a cluster, naming
 * {@code stamp.middleware.rate-limit.scope} and {@code stamp.cluster.enabled}.
 */
class RateLimitScopeFailureAnalyzer extends AbstractFailureAnalyzer<RateLimitScopeException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RateLimitScopeException cause) {
		String description = "The property 'stamp.middleware.rate-limit.scope' is 'cluster', which counts requests on"
				+ " Redis for every node, but Stamp's cluster is off: 'stamp.cluster.enabled' is not true or no"
				+ " ReactiveRedisConnectionFactory is configured.";
		String action = "Set 'stamp.cluster.enabled=true' and configure Spring Data Redis (spring-boot-starter-data-redis,"
				+ " spring.data.redis.*), or set 'stamp.middleware.rate-limit.scope=local' to count on each node.";
		return new FailureAnalysis(description, action, cause);
	}

}
