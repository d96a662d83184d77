package dev.stamp.sample.browser;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How {@link BrowserPage#run} gets an async function's result out of any browser the same
 * way: the page turns it into a JSON string ({@code {value}} or {@code {error}}), which
 * every driver can return, and Jackson turns it back.
 */
final class PageScript {

	private static final JsonMapper json = JsonMapper.shared();

	private PageScript() {
	}

	/** An expression whose value is a promise of the JSON string. */
	static String expression(String asyncFunctionBody) {
		return """
				(async () => {
				%s
				})().then(
				    (value) => JSON.stringify({ value: value === undefined ? null : value }),
				    (error) => JSON.stringify({ error: String(error && error.stack || error) }))
				""".formatted(asyncFunctionBody);
	}

	/**
	 * The value in the JSON string, as the type; an error the page reported fails the
	 * test.
	 */
	static <T> T result(String resultJson, Class<T> type) {
		JsonNode result = json.readTree(resultJson);
		if (result.hasNonNull("error")) {
			throw new AssertionError("Error in the browser: " + result.get("error").asString());
		}
		return json.treeToValue(result.get("value"), type);
	}

}
