package dev.stamp.boot.middleware;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a WebSocket or WebTransport session. Like Spring's own
 * {@code OriginHandshakeInterceptor}, a request without {@code Origin} is allowed: it
 * does not come from a browser page, so there is no cross-site page to protect against.
 */
public final class OriginPolicy {

	private final Set<String> allowed;

	/**
	 * Creates a policy that allows the given origins.
	 * @param allowedOrigins allowed origins such as {@code https://example.com}; empty or
	 * {@code *} allows all
	 */
	public OriginPolicy(List<String> allowedOrigins) {
		this.allowed = allowedOrigins.stream()
			.map((origin) -> origin.toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
	}

	/**
	 * Whether a request with this {@code Origin} header (or none) may proceed.
	 * @param origin the header's value, or {@code null}
	 * @return {@code true} if the request may proceed
	 */
	public boolean allows(String origin) {
		return this.allowed.isEmpty() || origin == null || this.allowed.contains("*")
				|| this.allowed.contains(origin.toLowerCase(Locale.ROOT));
	}

}
