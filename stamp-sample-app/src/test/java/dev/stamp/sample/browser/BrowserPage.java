package dev.stamp.sample.browser;

import java.nio.file.Path;

/**
 * One window of a {@link Browser}, as the page tests see it: elements are found by CSS
 * selector, and a missing element or a script error fails the test with what the browser
 * said.
 */
public interface BrowserPage {

	/**
	 * Loads the address and returns once the page has loaded ({@code document.readyState}
	 * complete).
	 */
	void navigate(String url);

	/** The document's title. */
	String title();

	/** The element's rendered text ({@code innerText}), trimmed. */
	String text(String selector);

	/**
	 * The value of the element's attribute as written in the DOM, or {@code null} when it
	 * has none.
	 */
	String attribute(String selector, String name);

	/** Whether the (form) element is enabled. */
	boolean isEnabled(String selector);

	/** Clicks the element. */
	void click(String selector);

	/** Types the text at the end of the input's value, as a user would. */
	void type(String selector, String text);

	/** Empties the input. */
	void clear(String selector);

	/**
	 * Runs the body of an async JavaScript function in the page and returns what it
	 * returns, through JSON, as the given type (a {@code Map}, a {@code List},
	 * {@code Boolean}, ...). A rejected promise fails the test.
	 */
	<T> T run(String asyncFunctionBody, Class<T> type);

	/** Saves what the page's viewport shows as a PNG file. */
	void screenshot(Path target);

}
