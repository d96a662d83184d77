package dev.stamp.sample.browser;

import java.util.Locale;

/**
 * The browsers the page tests run in: two independent WebTransport clients (Chromium's
 * QUIC stack and Firefox's neqo), both as Debian packages them.
 * {@code scripts/install-test-browser} installs both.
 */
public enum BrowserKind {

	/** Debian's Chromium, through its ChromeDriver and Selenium. */
	CHROMIUM("Chromium") {

		@Override
		public Browser launch(int width, int height) {
			return new HeadlessChromium(width, height);
		}

	},

	/** Debian's Firefox ESR, through the WebDriver BiDi it has built in. */
	FIREFOX("Firefox ESR") {

		@Override
		public Browser launch(int width, int height) {
			return HeadlessFirefox.launch(width, height);
		}

	};

	private final String displayName;

	BrowserKind(String displayName) {
		this.displayName = displayName;
	}

	/**
	 * Starts the browser, headless, with a fresh profile and windows of the given size in
	 * CSS pixels. Fails (never skips) when the browser is not installed, saying how to
	 * install it.
	 */
	public abstract Browser launch(int width, int height);

	/**
	 * A lower-case name for file names and messages: {@code chromium}, {@code firefox}.
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return this.displayName;
	}

}
