package dev.stamp.sample.browser;

import java.util.List;

/**
 * A headless browser the sample app's page tests drive: started by
 * {@link BrowserKind#launch}, it opens pages (each a window of its own) and
 * {@link #close() closes} with everything it started: processes, profiles, sessions.
 */
public interface Browser extends AutoCloseable {

	/** Which browser this is. */
	BrowserKind kind();

	/**
	 * Opens one more window, blank until it is {@linkplain BrowserPage#navigate
	 * navigated}.
	 */
	BrowserPage openPage();

	/** The pages opened so far, oldest first. */
	List<BrowserPage> pages();

	@Override
	void close();

}
