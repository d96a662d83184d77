package dev.stamp.boot;

import org.jspecify.annotations.Nullable;

/**
 * The HTTP methods a Stamp route can answer.
 */
public enum HttpMethod {

	/** {@code GET}. */
	GET,

	/** {@code HEAD}. */
	HEAD,

	/** {@code POST}. */
	POST,

	/** {@code PUT}. */
	PUT,

	/** {@code PATCH}. */
	PATCH,

	/** {@code DELETE}. */
	DELETE,

	/** {@code OPTIONS}. */
	OPTIONS;

	/**
	 * The method of a request line.
	 * @param name the method name as sent, for example {@code GET}
	 * @return the method, or {@code null} for one Stamp does not route (TRACE, CONNECT,
	 * unknown)
	 */
	public static @Nullable HttpMethod of(String name) {
		for (HttpMethod method : values()) {
			if (method.name().equals(name)) {
				return method;
			}
		}
		return null;
	}

}
