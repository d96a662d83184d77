package dev.stamp.boot.http;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.routing.RouteArguments;
import dev.stamp.boot.routing.RouteMethod;

/**
 * Everything routed at one path: a handler per HTTP method, and the {@code Allow} header
 * they add up to.
 */
final class HttpEndpoint {

	private static final Set<HttpMethod> DEFAULT_METHODS = EnumSet.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
			HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

	private final Map<HttpMethod, Handler> handlers = new EnumMap<>(HttpMethod.class);

	private String allow;

	void add(RouteMethod route) {
		Handler handler = new Handler(route,
				new RouteArguments<HttpRequest>().supply(HttpRequest.class, Function.identity()).bind(route));
		Set<HttpMethod> methods = route.httpMethods().isEmpty() ? DEFAULT_METHODS : EnumSet.copyOf(route.httpMethods());
		for (HttpMethod method : methods) {
			Handler existing = this.handlers.putIfAbsent(method, handler);
			if (existing != null && !(method == HttpMethod.HEAD && route.httpMethods().isEmpty())) {
				throw new IllegalStateException(method + " " + route.path() + " is routed twice: to "
						+ existing.route().describe() + " and " + route.describe());
			}
		}
		// GET routes answer HEAD too, with the same headers and no body.
		if (this.handlers.containsKey(HttpMethod.GET)) {
			this.handlers.putIfAbsent(HttpMethod.HEAD, this.handlers.get(HttpMethod.GET));
		}
		EnumSet<HttpMethod> allowed = EnumSet.copyOf(this.handlers.keySet());
		allowed.add(HttpMethod.OPTIONS);
		this.allow = allowed.stream().map(Enum::name).collect(Collectors.joining(", "));
	}

	/**
	 * The handler for a method.
	 * @param method the request method, or {@code null} if not a known one
	 * @return the handler, or {@code null} if the method is not routed here
	 */
	@Nullable Handler handler(@Nullable HttpMethod method) {
		return (method != null) ? this.handlers.get(method) : null;
	}

	/**
	 * The value of the {@code Allow} header for this path.
	 * @return the methods, comma-separated
	 */
	String allow() {
		return this.allow;
	}

	List<RouteMethod> routes() {
		return this.handlers.values().stream().map(Handler::route).distinct().toList();
	}

	/**
	 * The routes served here, for error messages.
	 * @return the routes, comma-separated
	 */
	String describe() {
		return routes().stream().map(RouteMethod::describe).collect(Collectors.joining(", "));
	}

	record Handler(RouteMethod route, Function<HttpRequest, Object[]> arguments) {
	}

}
