package dev.stamp.boot.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps request paths to routes: exact paths first, then regular-expression patterns in
 * the order they were added. A path given with a leading {@code "~"} is a pattern; its
 * capturing groups become the match's path parameters. Shared by every protocol that
 * routes by path.
 *
 * @param <T> what a path leads to
 */
public final class PathRouter<T> {

	private final Map<String, T> exact = new HashMap<>();

	private final List<PatternRoute<T>> patterns = new ArrayList<>();

	/**
	 * Adds a route.
	 * @param path an exact path such as {@code "/chat"}, or {@code "~"} followed by a
	 * regular expression
	 * @param target where the path leads
	 * @throws IllegalStateException if the path is already routed
	 */
	public void add(String path, T target) {
		if (isPattern(path)) {
			Pattern pattern = Pattern.compile(path.substring(1));
			if (this.patterns.stream().anyMatch((route) -> route.pattern.pattern().equals(pattern.pattern()))) {
				throw new IllegalStateException("Pattern " + path + " is routed twice");
			}
			this.patterns.add(new PatternRoute<>(pattern, target));
			return;
		}
		if (!path.startsWith("/")) {
			throw new IllegalStateException("Route path '" + path + "' must start with '/' (or '~' for a pattern)");
		}
		if (this.exact.putIfAbsent(path, target) != null) {
			throw new IllegalStateException("Path " + path + " is routed twice");
		}
	}

	/**
	 * The route that an exact path or pattern was added with, or {@code null}.
	 * @param path an exact path or a pattern, as added
	 * @return the route target, or {@code null}
	 */
	public T get(String path) {
		if (isPattern(path)) {
			return this.patterns.stream()
				.filter((route) -> route.pattern.pattern().equals(path.substring(1)))
				.map(PatternRoute::target)
				.findFirst()
				.orElse(null);
		}
		return this.exact.get(path);
	}

	private static boolean isPattern(String path) {
		return path.startsWith("~");
	}

	/**
	 * Finds the route for a request path.
	 * @param path the request's path, without query
	 * @return the match, or {@code null} if nothing is routed there
	 */
	public Match<T> match(String path) {
		T target = this.exact.get(path);
		if (target != null) {
			return new Match<>(target, List.of());
		}
		for (PatternRoute<T> route : this.patterns) {
			Matcher matcher = route.pattern.matcher(path);
			if (matcher.matches()) {
				List<String> parameters = new ArrayList<>(matcher.groupCount());
				for (int group = 1; group <= matcher.groupCount(); group++) {
					parameters.add(matcher.group(group));
				}
				return new Match<>(route.target, List.copyOf(parameters));
			}
		}
		return null;
	}

	/**
	 * Every route target, exact ones first.
	 * @return the route targets
	 */
	public List<T> targets() {
		List<T> all = new ArrayList<>(this.exact.values());
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
	 * @param pathParameters the pattern's captured groups, in order; empty for exact
	 * paths
	 * @param <T> the route type
	 */
	public record Match<T>(T target, List<String> pathParameters) {
	}

	private record PatternRoute<T>(Pattern pattern, T target) {
	}

}
