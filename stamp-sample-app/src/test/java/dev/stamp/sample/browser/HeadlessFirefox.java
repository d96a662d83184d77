package dev.stamp.sample.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's Firefox ESR, headless, driven over the WebDriver BiDi it has built in (no
 * geckodriver): started with a fresh {@link FirefoxProfile} and
 * {@code MOZ_DISABLE_NONLOCAL_CONNECTIONS=1}, it prints its BiDi address on stderr, which
 * {@link #launch} waits for and connects to. Each {@link #openPage()} is a window of this
 * one browser.
 * <p>
 * Firefox's output goes to {@code target/firefox/firefox-<n>.log}. To see what it did on
 * the network, run with {@code -Dstamp.firefox.moz-log=nsHttp:5} (any {@code MOZ_LOG}
 * modules): the log goes to {@code target/firefox/moz-<n>.log*} (one file per process).
 */
final class HeadlessFirefox implements Browser {

	static final Path FIREFOX = Path.of("/usr/bin/firefox-esr");

	/**
	 * A fresh profile on a loaded machine can take a while; this bounds a start that went
	 * wrong.
	 */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	/** How long a BiDi command may take; scripts the tests run included. */
	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(40);

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

	private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");

	private static final Path LOGS = Path.of("target", "firefox");

	private final Process process;

	private final FirefoxProfile profile;

	private final BidiConnection bidi;

	private final int width;

	private final int height;

	private final List<FirefoxPage> pages = new ArrayList<>();

	private String unusedContext;

	private HeadlessFirefox(Process process, FirefoxProfile profile, BidiConnection bidi, int width, int height) {
		this.process = process;
		this.profile = profile;
		this.bidi = bidi;
		this.width = width;
		this.height = height;
	}

	static HeadlessFirefox launch(int width, int height) {
		if (!Files.isExecutable(FIREFOX)) {
			fail(FIREFOX + " is missing: the browser tests need Debian's Firefox ESR. Install it with"
					+ " scripts/install-test-browser (or: apt-get install firefox-esr)");
		}
		FirefoxProfile profile = FirefoxProfile.create();
		Process process = null;
		try {
			Files.createDirectories(LOGS);
			String run = profile.directory().getFileName().toString().replace("stamp-firefox-", "");
			Path log = LOGS.resolve("firefox-" + run + ".log");
			ProcessBuilder builder = new ProcessBuilder(FIREFOX.toString(), "--headless", "--no-remote", "--profile",
					profile.directory().toString(), "--remote-debugging-port=0", "about:blank")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().put("MOZ_DISABLE_NONLOCAL_CONNECTIONS", "1");
			builder.environment().put("MOZ_CRASHREPORTER_DISABLE", "1");
			String mozLog = System.getProperty("stamp.firefox.moz-log");
			if (mozLog != null && !mozLog.isBlank()) {
				builder.environment().put("MOZ_LOG", mozLog);
				builder.environment()
					.put("MOZ_LOG_FILE", LOGS.resolve("moz-" + run + ".log").toAbsolutePath().toString());
			}
			process = builder.start();
			URI endpoint = awaitBidiEndpoint(process, log);
			BidiConnection bidi = BidiConnection.connect(endpoint.resolve("/session"), START_TIMEOUT);
			HeadlessFirefox firefox = new HeadlessFirefox(process, profile, bidi, width, height);
			firefox.startSession();
			return firefox;
		}
		catch (IOException ex) {
			abandon(process, profile);
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException | Error ex) {
			abandon(process, profile);
			throw ex;
		}
	}

	/** Cleans up after a start that failed. */
	private static void abandon(Process process, FirefoxProfile profile) {
		if (process != null) {
			List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
			process.destroy();
			awaitExit(process.toHandle(), tree);
		}
		profile.close();
	}

	private static URI awaitBidiEndpoint(Process process, Path log) throws IOException {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			String output = Files.readString(log, StandardCharsets.UTF_8);
			Matcher listening = LISTENING.matcher(output);
			if (listening.find()) {
				return URI.create(listening.group(1));
			}
			if (!process.isAlive()) {
				throw new IllegalStateException(
						"Firefox exited (" + process.exitValue() + ") before it offered WebDriver BiDi:\n" + output);
			}
			sleep(Duration.ofMillis(100));
		}
		throw new IllegalStateException("Firefox did not offer WebDriver BiDi within " + START_TIMEOUT.toSeconds()
				+ " s; its output so far:\n" + Files.readString(log, StandardCharsets.UTF_8));
	}

	private void startSession() {
		this.bidi.send("session.new", Map.of("capabilities", Map.of()), START_TIMEOUT);
		// The window Firefox opened at start is the first page's.
		this.unusedContext = command("browsingContext.getTree", Map.of("maxDepth", 0)).path("contexts")
			.path(0)
			.path("context")
			.asString();
	}

	/** Sends a BiDi command and returns its result. */
	JsonNode command(String method, Map<String, ?> params) {
		return this.bidi.send(method, params, COMMAND_TIMEOUT);
	}

	@Override
	public BrowserKind kind() {
		return BrowserKind.FIREFOX;
	}

	@Override
	public BrowserPage openPage() {
		String context = this.unusedContext;
		this.unusedContext = null;
		if (context == null) {
			context = command("browsingContext.create", Map.of("type", "window")).path("context").asString();
		}
		command("browsingContext.setViewport",
				Map.of("context", context, "viewport", Map.of("width", this.width, "height", this.height)));
		FirefoxPage page = new FirefoxPage(this, context);
		this.pages.add(page);
		return page;
	}

	@Override
	public List<BrowserPage> pages() {
		return Collections.unmodifiableList(this.pages);
	}

	@Override
	public void close() {
		// Taken before Firefox exits: its content processes are then no longer its
		// descendants.
		List<ProcessHandle> tree = new ArrayList<>(this.process.descendants().toList());
		try {
			this.bidi.send("browser.close", Map.of(), EXIT_TIMEOUT);
		}
		catch (RuntimeException ex) {
			// Killed below either way.
		}
		finally {
			this.bidi.close();
			this.pages.clear();
			awaitExit(this.process.toHandle(), tree);
			this.profile.close();
		}
	}

	/** Waits for the processes to exit, killing those still running after a while. */
	private static void awaitExit(ProcessHandle main, List<ProcessHandle> descendants) {
		List<ProcessHandle> all = new ArrayList<>(descendants);
		all.add(0, main);
		long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
		while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
			sleep(Duration.ofMillis(100));
		}
		all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		try {
			main.onExit().get(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// Nothing more to do than to have asked for it to be killed.
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
