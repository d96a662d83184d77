package dev.stamp.boot.http;

/**
 * Writes handler results that are neither text nor bytes as JSON. Stamp provides one
 * backed by the application's Jackson {@code JsonMapper}; declare your own bean to use
 * something else.
 */
@FunctionalInterface
public interface JsonWriter {

	/**
	 * Writes a handler's result as JSON.
	 * @param value the handler's result
	 * @return the JSON as UTF-8 bytes
	 * @throws Exception if the value cannot be written
	 */
	byte[] write(Object value) throws Exception;

}
