package dev.stamp.boot.middleware;

import java.time.Duration;

/**
 * A client's current rate-limit window, as a {@link RateLimitCounter} counted it.
 *
 * @param requests the requests counted in the window, the latest included
 * @param remaining how long until the window ends and the count starts again
 * @param untracked {@code true} if the counter could not track the client at all (it
 * holds as many clients as it may), so the request is refused whatever the count
 */
public record RateLimitWindow(long requests, Duration remaining, boolean untracked) {

	/**
	 * A window holding some requests.
	 * @param requests the requests counted in the window, the latest included
	 * @param remaining how long until the window ends
	 * @return the window
	 */
	public static RateLimitWindow of(long requests, Duration remaining) {
		return new RateLimitWindow(requests, remaining, false);
	}

	/**
	 * The answer of a counter that tracks as many clients as it may and has no room for
	 * another one.
	 * @param retryAfter when room may be free again
	 * @return the window of an untracked client
	 */
	public static RateLimitWindow untracked(Duration retryAfter) {
		return new RateLimitWindow(0, retryAfter, true);
	}

}
