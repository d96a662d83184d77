package dev.stamp.boot.cluster;

/**
 * Failures of Redis commands in the words the health details, logs and the endpoint use.
 */
final class RedisFailures {

	private RedisFailures() {
	}

	/**
	 * A one-line description of a failure.
	 * @param failure what a Redis command failed with
	 * @return its message, or its type when it has none
	 */
	static String describe(Throwable failure) {
		return (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getSimpleName();
	}

}
