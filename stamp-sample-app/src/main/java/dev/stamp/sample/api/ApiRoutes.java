package dev.stamp.sample.api;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpMethod;
import dev.stamp.boot.http.HttpRequest;

/**
 * The spec's "RESTful API" example: {@code /api/data}. Handlers return plain objects and
 * Stamp writes them as JSON with the application's Jackson mapper, so there is no
 * hand-built JSON to get wrong.
 */
@Component
public class ApiRoutes {

	/**
	 * {@code GET /api/data}: {@code {"data": [1, 2, 3]}}.
	 * @param request the request (unused)
	 * @return the fixed data, written as JSON
	 */
	@StampRoute(path = "/api/data", method = HttpMethod.GET)
	public Map<String, List<Integer>> data(HttpRequest request) {
		return Map.of("data", List.of(1, 2, 3));
	}

	/**
	 * {@code POST /api/data}: echoes the body back as {@code {"received": "<body>"}}.
	 * @param request the request whose body is echoed
	 * @return the body under {@code received}, written as JSON
	 */
	@StampRoute(path = "/api/data", method = HttpMethod.POST)
	public Map<String, String> receive(HttpRequest request) {
		return Map.of("received", request.bodyAsString());
	}

}
