package dev.stamp.sample.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's headless Chromium, driven through its own ChromeDriver by Selenium. Each
 * {@link #openPage()} starts a browser with a fresh profile; {@link #close()} quits them
 * all and deletes the profiles.
 * <p>
 * The browser and driver paths are set explicitly so that Selenium Manager never tries to
 * download a browser or a driver (the network only reaches package registries).
 * <p>
 * To see what the browser did on the network, run with
 * {@code -Dstamp.chromium.net-log=<file>}: Chromium writes its NetLog (QUIC and HTTP/3
 * frames included) there, readable with the netlog viewer.
 */
final class HeadlessChromium implements Browser {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	/** How long a script the test runs in the page may take. */
	static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(40);

	private final String windowSize;

	private final List<ChromiumPage> pages = new ArrayList<>();

	private final List<Path> profiles = new ArrayList<>();

	HeadlessChromium(int width, int height) {
		requireInstalled();
		this.windowSize = width + "," + height;
	}

	private static void requireInstalled() {
		for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
			if (!Files.isExecutable(binary)) {
				fail(binary + " is missing: the browser tests need Debian's Chromium and ChromeDriver. Install them"
						+ " with scripts/install-test-browser (or: apt-get install chromium chromium-driver)");
			}
		}
	}

	@Override
	public BrowserKind kind() {
		return BrowserKind.CHROMIUM;
	}

	@Override
	public BrowserPage openPage() {
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
				// Resolve nothing but loopback: the pages must work without any other
				// host.
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
		driver.manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
		ChromiumPage page = new ChromiumPage(driver);
		this.pages.add(page);
		return page;
	}

	@Override
	public List<BrowserPage> pages() {
		return Collections.unmodifiableList(this.pages);
	}

	@Override
	public void close() {
		this.pages.forEach((page) -> page.driver().quit());
		this.pages.clear();
		for (Path profile : this.profiles) {
			FileSystemUtils.deleteRecursively(profile.toFile());
		}
		this.profiles.clear();
	}

}
