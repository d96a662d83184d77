package dev.stamp.boot.http;

import java.time.Duration;

/**
 * How long a client may take to send a request, for {@link HttpRequestGuard}.
 *
 * @param requestHeaderTimeout time from the first byte of a request head to its last;
 * {@code null} or zero for no limit
 * @param requestBodyTimeout time from the end of a request head to the end of its body;
 * {@code null} or zero for no limit
 */
public record HttpRequestLimits(Duration requestHeaderTimeout, Duration requestBodyTimeout) {

	boolean hasDeadlines() {
		return isSet(this.requestHeaderTimeout) || isSet(this.requestBodyTimeout);
	}

	static boolean isSet(Duration timeout) {
		return timeout != null && !timeout.isZero() && !timeout.isNegative();
	}

}
