package dev.stamp.sample.browser;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Saves a screenshot of every page the test's browser has open when the test fails, to
 * {@code target/screenshots/failures/<class>-<method>-<browser>-<page>.png}: what the
 * page showed is often the quickest way to see why. Register it as an instance field with
 * {@code @RegisterExtension}.
 */
public final class FailureScreenshots implements AfterTestExecutionCallback {

	private static final Path FAILURES = Path.of("target", "screenshots", "failures");

	private final Supplier<Browser> browser;

	/**
	 * @param browser the test's browser, asked for when a test has failed (it may then be
	 * {@code null})
	 */
	public FailureScreenshots(Supplier<Browser> browser) {
		this.browser = browser;
	}

	@Override
	public void afterTestExecution(ExtensionContext context) {
		Browser browser = this.browser.get();
		if (context.getExecutionException().isEmpty() || browser == null) {
			return;
		}
		List<BrowserPage> pages = browser.pages();
		for (int i = 0; i < pages.size(); i++) {
			Path target = FAILURES.resolve(context.getRequiredTestClass().getSimpleName() + "-"
					+ context.getRequiredTestMethod().getName() + "-" + browser.kind().id() + "-" + (i + 1) + ".png");
			try {
				pages.get(i).screenshot(target);
				System.err.println("Screenshot of the failed test's page: " + target.toAbsolutePath());
			}
			catch (RuntimeException | AssertionError ex) {
				// The browser may be what failed: keep the test's own failure.
				System.err.println("No screenshot of the failed test's page: " + ex);
			}
		}
	}

}
