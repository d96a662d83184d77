package dev.stamp.core;

import java.util.Map;

/**
 * Looks up one path variable, the same way on every protocol's request or session type.
 */
public final class PathVariables {

	private PathVariables() {
	}

	/**
	 * The value of a path variable.
	 * @param variables the route's path variables by name
	 * @param name the variable's name as declared in the route path, for example
	 * {@code "id"} for {@code /users/{id}}
	 * @return the value, never {@code null}
	 * @throws IllegalArgumentException if the route has no variable of that name (a
	 * mistake in the handler, not in the request: every variable of a template has a
	 * value once the path matched)
	 */
	public static String require(Map<String, String> variables, String name) {
		String value = variables.get(name);
		if (value == null) {
			throw new IllegalArgumentException(
					"No path variable '" + name + "' for this request; its route has " + variables.keySet());
		}
		return value;
	}

}
