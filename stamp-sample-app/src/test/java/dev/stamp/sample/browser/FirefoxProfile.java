package dev.stamp.sample.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.util.FileSystemUtils;

/**
 * A fresh, throw-away Firefox profile whose {@code user.js} keeps the browser on loopback
 * and quiet: no telemetry, updates, captive portal or connectivity checks, Normandy, Safe
 * Browsing, remote settings, push, first-run pages or speculative connections. (With
 * {@code MOZ_DISABLE_NONLOCAL_CONNECTIONS=1}, which {@link HeadlessFirefox} sets too,
 * these are belt and braces: each of the two alone was measured to keep every Firefox
 * process off the network.)
 */
final class FirefoxProfile implements AutoCloseable {

	private static final Map<String, Object> PREFERENCES = preferences();

	private final Path directory;

	private FirefoxProfile(Path directory) {
		this.directory = directory;
	}

	static FirefoxProfile create() {
		try {
			Path directory = Files.createTempDirectory("stamp-firefox-");
			Files.writeString(directory.resolve("user.js"), userJs());
			return new FirefoxProfile(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Path directory() {
		return this.directory;
	}

	private static String userJs() {
		return PREFERENCES.entrySet()
			.stream()
			.map((preference) -> "user_pref(\"" + preference.getKey() + "\", " + literal(preference.getValue()) + ");")
			.collect(Collectors.joining("\n", "", "\n"));
	}

	private static String literal(Object value) {
		return (value instanceof String text) ? "\"" + text + "\"" : String.valueOf(value);
	}

	private static Map<String, Object> preferences() {
		Map<String, Object> preferences = new LinkedHashMap<>();
		// Every host name resolves to loopback, whatever a component tries to reach.
		preferences.put("network.dns.forceResolve", "127.0.0.1");
		preferences.put("network.captive-portal-service.enabled", false);
		preferences.put("network.connectivity-service.enabled", false);
		preferences.put("network.predictor.enabled", false);
		preferences.put("network.prefetch-next", false);
		preferences.put("network.http.speculative-parallel-limit", 0);
		preferences.put("toolkit.telemetry.enabled", false);
		preferences.put("toolkit.telemetry.unified", false);
		preferences.put("toolkit.telemetry.server", "");
		preferences.put("datareporting.healthreport.uploadEnabled", false);
		preferences.put("datareporting.policy.dataSubmissionEnabled", false);
		preferences.put("datareporting.policy.dataSubmissionPolicyBypassNotification", true);
		preferences.put("app.update.disabledForTesting", true);
		preferences.put("app.update.auto", false);
		preferences.put("extensions.update.enabled", false);
		preferences.put("extensions.getAddons.cache.enabled", false);
		preferences.put("extensions.blocklist.enabled", false);
		preferences.put("app.normandy.enabled", false);
		preferences.put("app.normandy.api_url", "");
		preferences.put("app.shield.optoutstudies.enabled", false);
		preferences.put("browser.backup.scheduled.enabled", false);
		preferences.put("browser.safebrowsing.malware.enabled", false);
		preferences.put("browser.safebrowsing.phishing.enabled", false);
		preferences.put("browser.safebrowsing.downloads.enabled", false);
		preferences.put("browser.safebrowsing.blockedURIs.enabled", false);
		preferences.put("browser.safebrowsing.update.enabled", false);
		preferences.put("services.settings.server", "");
		preferences.put("dom.push.connection.enabled", false);
		preferences.put("dom.push.serverURL", "");
		preferences.put("media.gmp-manager.url", "");
		preferences.put("geo.provider.network.url", "");
		preferences.put("browser.region.network.url", "");
		preferences.put("browser.search.update", false);
		preferences.put("browser.shell.checkDefaultBrowser", false);
		preferences.put("browser.startup.page", 0);
		preferences.put("browser.startup.homepage", "about:blank");
		preferences.put("browser.startup.homepage_override.mstone", "ignore");
		preferences.put("startup.homepage_welcome_url", "about:blank");
		preferences.put("startup.homepage_welcome_url.additional", "");
		preferences.put("datareporting.policy.firstRunURL", "");
		preferences.put("browser.aboutwelcome.enabled", false);
		preferences.put("browser.newtabpage.enabled", false);
		preferences.put("browser.newtabpage.activity-stream.feeds.system.topstories", false);
		preferences.put("browser.sessionstore.resume_from_crash", false);
		preferences.put("browser.tabs.warnOnClose", false);
		preferences.put("browser.warnOnQuit", false);
		return preferences;
	}

	@Override
	public void close() {
		FileSystemUtils.deleteRecursively(this.directory.toFile());
	}

}
