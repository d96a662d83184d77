package dev.stamp.boot.middleware;

/**
 * {@code stamp.middleware.rate-limit.scope=cluster} is set but Stamp's cluster is off
 * ({@code stamp.cluster.enabled} is not {@code true}, or Spring Data Redis is not
 * configured), so there is no Redis to count on. The application does not start rather
 * than count on each node, which would multiply the limit by the number of nodes; the
 * failure analysis names both properties.
 */
public class RateLimitScopeException extends IllegalStateException {

	/**
	 * Creates the exception.
	 */
	public RateLimitScopeException() {
		super("stamp.middleware.rate-limit.scope=cluster counts on Redis, but the cluster is off:"
				+ " set stamp.cluster.enabled=true with Spring Data Redis configured");
	}

}
