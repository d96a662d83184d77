package dev.stamp.sample.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A Chromium window through Selenium: clicks and keys are WebDriver's own input events.
 */
final class ChromiumPage implements BrowserPage {

	private final ChromeDriver driver;

	ChromiumPage(ChromeDriver driver) {
		this.driver = driver;
	}

	ChromeDriver driver() {
		return this.driver;
	}

	@Override
	public void navigate(String url) {
		this.driver.get(url);
	}

	@Override
	public String title() {
		return this.driver.getTitle();
	}

	@Override
	public String text(String selector) {
		return this.driver.findElement(By.cssSelector(selector)).getText();
	}

	@Override
	public String attribute(String selector, String name) {
		return this.driver.findElement(By.cssSelector(selector)).getDomAttribute(name);
	}

	@Override
	public boolean isEnabled(String selector) {
		return this.driver.findElement(By.cssSelector(selector)).isEnabled();
	}

	@Override
	public void click(String selector) {
		this.driver.findElement(By.cssSelector(selector)).click();
	}

	@Override
	public void type(String selector, String text) {
		this.driver.findElement(By.cssSelector(selector)).sendKeys(text);
	}

	@Override
	public void clear(String selector) {
		this.driver.findElement(By.cssSelector(selector)).clear();
	}

	@Override
	public <T> T run(String asyncFunctionBody, Class<T> type) {
		String script = "const done = arguments[arguments.length - 1];\n" + PageScript.expression(asyncFunctionBody)
				+ ".then(done);";
		return PageScript.result((String) this.driver.executeAsyncScript(script), type);
	}

	@Override
	public void screenshot(Path target) {
		try {
			Files.createDirectories(target.toAbsolutePath().getParent());
			Files.write(target, this.driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
