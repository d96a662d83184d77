package dev.stamp.boot.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Maps request paths to routes, the same way for every protocol that routes by path.
 * <p>
 * A route path is exact ({@code /chat}), a template with path variables
 * ({@code /users/{id}}, {@code /users/{id:\d+}}, {@code /files/{*rest}}), or a regular
 * expression after {@code ~} whose named groups are the path variables
 * ({@code ~/users/(?<id>\d+)}). A request goes to the most specific match, as in Spring:
 * an exact path first, then the template with the fewest variables and the most literal
 * text, then regular expressions in the order they were added, then {@code {*rest}}
 * templates, longest first. Two routes that could serve the same request with equal
 * precedence are refused when the second is added, so an ambiguity fails the
 * application's start instead of picking one at random.
 *
 * @param <T> what a path leads to
 */
public final class PathRouter<T> {

	private final Function<T, String> describer;

	private final Map<String, Route<T>> exact = new LinkedHashMap<>();

	/** Every route that is not exact, in precedence order (stable: ties keep theirs). */
	private final List<Route<T>> patterns = new ArrayList<>();

	/** A router whose error messages describe routes with {@code toString()}. */
	public PathRouter() {
		this(String::valueOf);
	}

	/**
	 * A router.
	 * @param describer names a route target in error messages, for example by its handler
	 * method
	 */
	public PathRouter(Function<T, String> describer) {
		this.describer = describer;
	}

	/**
	 * Adds a route.
	 * @param path the route path as declared
	 * @param target where the path leads
	 * @throws IllegalStateException if the path is invalid, already routed, or ambiguous
	 * with a path already routed
	 */
	public void add(String path, T target) {
		Route<T> route = new Route<>(RoutePattern.parse(path), target);
		if (route.pattern().isExact()) {
			Route<T> existing = this.exact.putIfAbsent(path, route);
			if (existing != null) {
				throw routedTwice(existing, route);
			}
			return;
		}
		for (Route<T> existing : this.patterns) {
			if (existing.pattern().source().equals(path)) {
				throw routedTwice(existing, route);
			}
			if (existing.pattern().isAmbiguousWith(route.pattern())) {
				throw new IllegalStateException("Routes " + describe(existing) + " and " + describe(route)
						+ " are ambiguous: a request can match both with the same precedence. "
						+ (existing.pattern().hasSameShape(route.pattern())
								? "Spell the path the same way, variable names included, in both"
								: "Make one of them more specific"));
			}
		}
		int index = 0;
		while (index < this.patterns.size()
				&& RoutePattern.PRECEDENCE.compare(this.patterns.get(index).pattern(), route.pattern()) <= 0) {
			index++;
		}
		this.patterns.add(index, route);
	}

	private IllegalStateException routedTwice(Route<T> existing, Route<T> added) {
		return new IllegalStateException("Path " + added.pattern() + " is routed twice: to "
				+ this.describer.apply(existing.target()) + " and " + this.describer.apply(added.target()));
	}

	private String describe(Route<T> route) {
		return route.pattern() + " (" + this.describer.apply(route.target()) + ")";
	}

	/**
	 * The route that exactly this path was added with.
	 * @param path a route path as declared
	 * @return its target, or {@code null} if the path was not added
	 */
	public @Nullable T get(String path) {
		Route<T> route = this.exact.get(path);
		if (route == null) {
			route = this.patterns.stream()
				.filter((candidate) -> candidate.pattern().source().equals(path))
				.findFirst()
				.orElse(null);
		}
		return (route != null) ? route.target() : null;
	}

	/**
	 * Finds the route for a request path.
	 * @param path the request's path, without query
	 * @return the match, or {@code null} if nothing is routed there
	 */
	public @Nullable Match<T> match(String path) {
		Route<T> exactRoute = this.exact.get(path);
		if (exactRoute != null) {
			return new Match<>(exactRoute.target(), Map.of());
		}
		for (Route<T> route : this.patterns) {
			Map<String, String> variables = route.pattern().match(path);
			if (variables != null) {
				return new Match<>(route.target(), variables);
			}
		}
		return null;
	}

	/**
	 * Every route target, exact ones first, then in precedence order.
	 * @return the targets
	 */
	public List<T> targets() {
		List<T> all = new ArrayList<>();
		this.exact.values().forEach((route) -> all.add(route.target()));
		this.patterns.forEach((route) -> all.add(route.target()));
		return all;
	}

	/**
	 * Whether no route was added.
	 * @return {@code true} if there are no routes
	 */
	public boolean isEmpty() {
		return this.exact.isEmpty() && this.patterns.isEmpty();
	}

	/**
	 * A routed request path.
	 *
	 * @param target where the path leads
	 * @param pathVariables the route's path variables by name, in declaration order;
	 * empty for exact paths. Unnamed regular-expression groups are not variables.
	 * @param <T> the route type
	 */
	public record Match<T>(T target, Map<String, String> pathVariables) {
	}

	private record Route<T>(RoutePattern pattern, T target) {
	}

}
