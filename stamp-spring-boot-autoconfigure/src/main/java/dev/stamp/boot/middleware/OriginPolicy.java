package dev.stamp.boot.middleware;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a WebSocket or WebTransport session. With no allowed
 * origins every request is allowed. With some, a request from any other origin is
 * refused, and so is a request without {@code Origin} unless missing origins are allowed
 * explicitly: a client that leaves the header out must not get past a check a browser
 * page cannot.
 */
public final class OriginPolicy {

	private static final OriginPolicy ALLOW_ALL = new OriginPolicy(List.of(), true);

	private final Set<String> allowed;

	private final boolean allowMissingOrigin;

	/**
	 * Creates a policy.
	 * @param allowedOrigins allowed origins such as {@code https://example.com};
	 * {@code *} allows every origin that is sent; empty allows every request
	 * @param allowMissingOrigin whether a request without {@code Origin} may proceed when
	 * origins are configured
	 */
	public OriginPolicy(List<String> allowedOrigins, boolean allowMissingOrigin) {
		this.allowed = allowedOrigins.stream()
			.map((origin) -> origin.toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
		this.allowMissingOrigin = allowMissingOrigin;
	}

	/**
	 * A policy that checks nothing.
	 * @return the shared unrestricted policy
	 */
	public static OriginPolicy allowAll() {
		return ALLOW_ALL;
	}

	/**
	 * Whether this policy can refuse anything: origins are configured.
	 * @return {@code true} if origins are configured
	 */
	public boolean isRestricted() {
		return !this.allowed.isEmpty();
	}

	/**
	 * Whether a request with this {@code Origin} header (or none) may proceed.
	 * @param origin the header's value, or {@code null}
	 * @return {@code true} if the request may proceed
	 */
	public boolean allows(String origin) {
		if (!isRestricted()) {
			return true;
		}
		if (origin == null) {
			return this.allowMissingOrigin;
		}
		return this.allowed.contains("*") || this.allowed.contains(origin.toLowerCase(Locale.ROOT));
	}

}
