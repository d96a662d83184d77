package dev.stamp.boot.middleware;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Logs every request that reaches the middleware chain (protocol, path, client, origin,
 * user agent) at INFO under the category
 * {@code dev.stamp.boot.middleware.LoggingMiddleware}. It never rejects.
 */
public class LoggingMiddleware implements StampMiddleware {

	private static final Log logger = LogFactory.getLog(LoggingMiddleware.class);

	@Override
	public Mono<MiddlewareDecision> apply(StampRequest request) {
		if (logger.isInfoEnabled()) {
			StringBuilder line = new StringBuilder(request.toString());
			String origin = request.origin();
			if (origin != null) {
				line.append(" origin=").append(origin);
			}
			String agent = request.header("user-agent");
			if (agent != null) {
				line.append(" agent=\"").append(agent).append('"');
			}
			logger.info(line);
		}
		return Mono.just(MiddlewareDecision.proceed());
	}

}
