package dev.stamp.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's headless Chromium, driven through its own ChromeDriver by Selenium, for the browser tests. Each
 * {@link #open()} starts a browser with a fresh profile; {@link #close()} quits them all and deletes the profiles.
 * <p>
 * The browser and driver paths are set explicitly so that Selenium Manager never tries to download a browser or a
 * driver (the network only reaches package registries). Missing binaries fail the test, with how to install them:
 * a browser test that skips itself would silently stop testing the page.
 * <p>
 * To see what the browser did on the network, run with {@code -Dstamp.chromium.net-log=<file>}: Chromium writes its
 * NetLog (QUIC and HTTP/3 frames included) there, readable with the netlog viewer.
 */
final class HeadlessChromium implements AutoCloseable {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private final String windowSize;

	private final List<ChromeDriver> drivers = new ArrayList<>();

	private final List<Path> profiles = new ArrayList<>();

	/** @param width the window's width in CSS pixels @param height its height */
	HeadlessChromium(int width, int height) {
		this.windowSize = width + "," + height;
	}

	/** Fails (never skips) when Chromium or ChromeDriver is not installed, saying how to install them. */
	static void requireInstalled() {
		for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
			if (!Files.isExecutable(binary)) {
				fail(binary + " is missing: the browser tests need Debian's Chromium and ChromeDriver. Install them"
						+ " with scripts/install-test-browser (or: apt-get install chromium chromium-driver)");
			}
		}
	}

	/** Starts one more browser, with a profile of its own. */
	ChromeDriver open() {
		Path profile;
		try {
			profile = Files.createTempDirectory("stamp-chromium-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.profiles.add(profile);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		// No --disable-quic: WebTransport runs over QUIC.
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=" + this.windowSize, "--user-data-dir=" + profile,
				// Resolve nothing but loopback: the pages must work without any other host.
				"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
		String netLog = System.getProperty("stamp.chromium.net-log");
		if (netLog != null && !netLog.isBlank()) {
			options.addArguments("--log-net-log=" + Path.of(netLog).toAbsolutePath(),
					"--net-log-capture-mode=Everything");
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		this.drivers.add(driver);
		return driver;
	}

	/** Saves what the browser shows, for people (and reviews) to look at. */
	static void screenshot(ChromeDriver driver, Path target) throws IOException {
		Files.createDirectories(target.toAbsolutePath().getParent());
		File screenshot = driver.getScreenshotAs(OutputType.FILE);
		Files.copy(screenshot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
		assertThat(target).isNotEmptyFile();
	}

	@Override
	public void close() {
		this.drivers.forEach(ChromeDriver::quit);
		this.drivers.clear();
		for (Path profile : this.profiles) {
			FileSystemUtils.deleteRecursively(profile.toFile());
		}
		this.profiles.clear();
	}

}
