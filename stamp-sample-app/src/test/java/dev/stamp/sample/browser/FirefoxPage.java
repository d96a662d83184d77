package dev.stamp.sample.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A Firefox window (a BiDi browsing context). Everything happens through
 * {@code script.callFunction} in the page: clicks are the element's {@code click()} and
 * typing sets the value and fires {@code input} and {@code change} as a user's typing
 * would. They are DOM events, not OS input, which the sample's page does not tell apart.
 */
final class FirefoxPage implements BrowserPage {

	/**
	 * The function every element operation runs in: the element, or an error naming the
	 * selector.
	 */
	private static final String ON_ELEMENT = """
			(selector, ...args) => {
			  const element = document.querySelector(selector);
			  if (element === null) throw new Error('No element matches ' + selector);
			  return (%s)(element, ...args);
			}""";

	private final HeadlessFirefox firefox;

	private final String context;

	FirefoxPage(HeadlessFirefox firefox, String context) {
		this.firefox = firefox;
		this.context = context;
	}

	@Override
	public void navigate(String url) {
		this.firefox.command("browsingContext.navigate",
				Map.of("context", this.context, "url", url, "wait", "complete"));
	}

	@Override
	public String title() {
		return call("() => document.title").path("value").asString();
	}

	@Override
	public String text(String selector) {
		return onElement(selector, "(element) => element.innerText.trim()").path("value").asString();
	}

	@Override
	public String attribute(String selector, String name) {
		JsonNode value = onElement(selector, "(element, name) => element.getAttribute(name)", name);
		return "null".equals(value.path("type").asString()) ? null : value.path("value").asString();
	}

	@Override
	public boolean isEnabled(String selector) {
		return onElement(selector, "(element) => !element.disabled").path("value").asBoolean();
	}

	@Override
	public void click(String selector) {
		onElement(selector, "(element) => { element.scrollIntoView({ block: 'nearest' }); element.click(); }");
	}

	@Override
	public void type(String selector, String text) {
		onElement(selector, """
				(element, text) => {
				  element.focus();
				  element.value += text;
				  element.dispatchEvent(new Event('input', { bubbles: true }));
				  element.dispatchEvent(new Event('change', { bubbles: true }));
				}""", text);
	}

	@Override
	public void clear(String selector) {
		onElement(selector, """
				(element) => {
				  element.value = '';
				  element.dispatchEvent(new Event('input', { bubbles: true }));
				  element.dispatchEvent(new Event('change', { bubbles: true }));
				}""");
	}

	@Override
	public <T> T run(String asyncFunctionBody, Class<T> type) {
		JsonNode answer = this.firefox.command("script.evaluate", Map.of("expression",
				PageScript.expression(asyncFunctionBody), "target", target(), "awaitPromise", true));
		return PageScript.result(value(answer).path("value").asString(), type);
	}

	@Override
	public void screenshot(Path target) {
		JsonNode answer = this.firefox.command("browsingContext.captureScreenshot", Map.of("context", this.context));
		try {
			Files.createDirectories(target.toAbsolutePath().getParent());
			Files.write(target, Base64.getDecoder().decode(answer.path("data").asString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private JsonNode onElement(String selector, String function, String... args) {
		String[] all = new String[args.length + 1];
		all[0] = selector;
		System.arraycopy(args, 0, all, 1, args.length);
		return call(ON_ELEMENT.formatted(function), all);
	}

	/**
	 * Calls the function with string arguments and returns the BiDi remote value it
	 * returned.
	 */
	private JsonNode call(String function, String... args) {
		List<Map<String, String>> arguments = Arrays.stream(args)
			.map((arg) -> Map.of("type", "string", "value", arg))
			.toList();
		return value(this.firefox.command("script.callFunction", Map.of("functionDeclaration", function, "arguments",
				arguments, "target", target(), "awaitPromise", true)));
	}

	private Map<String, String> target() {
		return Map.of("context", this.context);
	}

	/**
	 * The remote value of a script's result; an exception thrown in the page fails the
	 * test.
	 */
	private static JsonNode value(JsonNode answer) {
		if ("exception".equals(answer.path("type").asString())) {
			throw new AssertionError("Error in Firefox: " + answer.path("exceptionDetails").path("text").asString());
		}
		return answer.path("result");
	}

}
