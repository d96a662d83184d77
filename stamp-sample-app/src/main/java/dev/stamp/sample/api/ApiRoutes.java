package dev.stamp.sample.api;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.http.HttpResponse;

/**
 * The spec's "RESTful API" example: {@code /api/data}, and {@code /api/data/{index}} for
 * one item. Handlers return plain objects and Stamp writes them as JSON with the
 * application's Jackson mapper, so there is no hand-built JSON to get wrong.
 */
@Component
public class ApiRoutes {

	private static final List<Integer> DATA = List.of(1, 2, 3);

	/**
	 * {@code GET /api/data}: {@code {"data": [1, 2, 3]}}.
	 * @param request the HTTP request
	 * @return the data, written as JSON
	 */
	@StampRoute(path = "/api/data", method = HttpMethod.GET)
	public Map<String, List<Integer>> data(HttpRequest request) {
		return Map.of("data", DATA);
	}

	/**
	 * {@code GET /api/data/{index}}: one item, {@code {"index": 0, "value": 1}}. The
	 * variable's regular expression keeps other paths out (404), the handler answers 404
	 * for an index past the end.
	 * @param request the HTTP request, with the {@code index} path variable
	 * @return the item as JSON, or a 404 response
	 */
	@StampRoute(path = "/api/data/{index:\\d{1,9}}", method = HttpMethod.GET)
	public HttpResponse item(HttpRequest request) {
		int index = Integer.parseInt(request.pathVariable("index"));
		if (index >= DATA.size()) {
			return HttpResponse.status(404).body(Map.of("error", "No item " + index));
		}
		return HttpResponse.ok(Map.of("index", index, "value", DATA.get(index)));
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
