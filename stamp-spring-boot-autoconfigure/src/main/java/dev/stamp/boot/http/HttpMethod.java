package dev.stamp.boot.http;

/**
 * The HTTP methods a Stamp route can answer.
 */
public enum HttpMethod {

	/** Reads a resource. */
	GET,

	/** Like {@code GET}, without the body. */
	HEAD,

	/** Submits data to a resource. */
	POST,

	/** Replaces a resource. */
	PUT,

	/** Changes part of a resource. */
	PATCH,

	/** Deletes a resource. */
	DELETE,

	/** Asks which methods a resource answers. */
	OPTIONS;

	/**
	 * The method of a request line, or {@code null} for one Stamp does not route (TRACE,
	 * CONNECT, unknown).
	 * @param name the method's name, as sent
	 * @return the method, or {@code null}
	 */
	static HttpMethod of(String name) {
		for (HttpMethod method : values()) {
			if (method.name().equals(name)) {
				return method;
			}
		}
		return null;
	}

}
