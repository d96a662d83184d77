package dev.stamp.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebTransport from a real browser: Debian's headless Chromium opens the sample page from
 * {@code http://127.0.0.1:<port>/} (a loopback origin is a secure context, which WebTransport requires) and talks to
 * the sample's {@code /echo} over HTTP/3 on QUIC, trusting the listener's generated development certificate through
 * {@code serverCertificateHashes} with the hash the page was served.
 * <p>
 * Most tests run the browser's own WebTransport API through {@code executeAsyncScript}, return what came back as
 * base64, and compare it here byte for byte; the last one drives the page's WebTransport panel through its buttons.
 * Every wait is explicit; nothing asserts how long anything took.
 */
@SampleAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebTransportBrowserTests {

	/** Where the screenshots of the panel and of the session log go, for people (and reviews) to look at. */
	static final Path SCREENSHOT = Path.of("target", "screenshots", "webtransport-panel.png");

	static final Path SESSIONS_SCREENSHOT = Path.of("target", "screenshots", "webtransport-sessions.png");

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper json = JsonMapper.shared();

	/**
	 * Defines {@code connect()} (a session to the page's {@code /echo}, with the port and certificate hash the page
	 * was served), {@code readAll(readable)}, {@code base64(bytes)}, {@code sleep(ms)} and {@code done(result)}, then
	 * runs the test's body as an async function: what it returns goes back to Java, an error as {@code {error}}.
	 */
	private static final String PRELUDE = """
			const done = arguments[arguments.length - 1];
			const meta = (name) => document.querySelector('meta[name="' + name + '"]').content;
			const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
			async function connect() {
			  const hash = Uint8Array.from(atob(meta('stamp-webtransport-certificate-hash')), (c) => c.charCodeAt(0));
			  const url = 'https://' + location.hostname + ':' + meta('stamp-webtransport-port') + '/echo';
			  const transport = new WebTransport(url,
			      { serverCertificateHashes: [{ algorithm: 'sha-256', value: hash }] });
			  await transport.ready;
			  return transport;
			}
			async function readAll(readable) {
			  const reader = readable.getReader();
			  const chunks = [];
			  let length = 0;
			  for (;;) {
			    const { value, done } = await reader.read();
			    if (done) break;
			    chunks.push(value);
			    length += value.length;
			  }
			  const all = new Uint8Array(length);
			  let offset = 0;
			  for (const chunk of chunks) { all.set(chunk, offset); offset += chunk.length; }
			  return all;
			}
			function base64(bytes) {
			  let text = '';
			  for (let i = 0; i < bytes.length; i += 0x8000) {
			    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
			  }
			  return btoa(text);
			}
			function randomBytes(length) {
			  const bytes = new Uint8Array(length);
			  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
			  return bytes;
			}
			(async () => {
			%s
			})().then(done, (error) => done({ error: String(error && error.stack || error) }));
			""";

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Value("${local.stamp.http.port}")
	int httpPort;

	@Value("${local.stamp.webtransport.port}")
	int webTransportPort;

	@Value("${local.stamp.webtransport.certificate-hash}")
	String certificateHash;

	private final HeadlessChromium chromium = new HeadlessChromium(1024, 1500);

	private ChromeDriver browser;

	@BeforeAll
	void startChromium() {
		HeadlessChromium.requireInstalled();
		this.browser = this.chromium.open();
		this.browser.manage().timeouts().scriptTimeout(WAIT);
	}

	@AfterAll
	void quitChromium() {
		this.chromium.close();
	}

	@BeforeEach
	void openPage() {
		this.browser.get("http://127.0.0.1:" + this.httpPort + "/");
		assertThat(this.browser.findElement(By.cssSelector("meta[name=stamp-webtransport-port]"))
			.getDomAttribute("content")).isEqualTo(String.valueOf(this.webTransportPort));
		assertThat(this.browser.findElement(By.cssSelector("meta[name=stamp-webtransport-certificate-hash]"))
			.getDomAttribute("content")).isEqualTo(this.certificateHash);
	}

	@Test
	void bidirectionalStreamOf64KiBComesBackByteForByte() {
		Map<String, Object> result = run("""
				const transport = await connect();
				const sent = randomBytes(64 * 1024);
				const stream = await transport.createBidirectionalStream();
				// Read while writing: the echo starts before the last byte is sent.
				const echo = readAll(stream.readable);
				const writer = stream.writable.getWriter();
				for (let i = 0; i < sent.length; i += 8192) await writer.write(sent.subarray(i, i + 8192));
				await writer.close();
				const received = await echo;
				transport.close({ closeCode: 0, reason: 'stream test done' });
				return { sent: base64(sent), received: base64(received) };
				""");
		byte[] sent = decode(result, "sent");
		assertThat(sent).hasSize(64 * 1024);
		assertThat(decode(result, "received")).isEqualTo(sent);
	}

	@Test
	void tenDatagramsComeBackByteForByte() {
		// Datagrams may be lost, even on loopback: send the ones not echoed yet again, a little apart, round after
		// round, until all ten came back or the rounds run out. Only what came back is asserted, never when.
		Map<String, Object> result = run("""
				const transport = await connect();
				const writer = transport.datagrams.writable.getWriter();
				const reader = transport.datagrams.readable.getReader();
				const size = Math.min(1000, transport.datagrams.maxDatagramSize);
				const sent = [];
				for (let i = 0; i < 10; i++) {
				  const payload = randomBytes(size - i * 50);
				  payload[0] = i;
				  sent.push(base64(payload));
				}
				const echoed = new Array(10).fill(null);
				const unexpected = [];
				let count = 0;
				const receiving = (async () => {
				  while (count < 10) {
				    const { value, done } = await reader.read();
				    if (done) return;
				    const text = base64(value);
				    const index = sent.indexOf(text);
				    if (index < 0) unexpected.push(text);
				    else if (echoed[index] === null) { echoed[index] = text; count++; }
				  }
				})();
				let rounds = 0;
				while (count < 10 && rounds < 30) {
				  rounds++;
				  for (let i = 0; i < 10; i++) {
				    if (echoed[i] === null) {
				      await writer.write(Uint8Array.from(atob(sent[i]), (c) => c.charCodeAt(0)));
				      await sleep(10);
				    }
				  }
				  await Promise.race([receiving, sleep(300)]);
				}
				transport.close({ closeCode: 0, reason: 'datagram test done' });
				return { sent, echoed, unexpected, rounds, maxDatagramSize: transport.datagrams.maxDatagramSize };
				""");
		assertThat(result.get("unexpected")).as("datagrams that are none of those sent").isEqualTo(List.of());
		@SuppressWarnings("unchecked")
		List<String> sent = (List<String>) result.get("sent");
		assertThat(sent).hasSize(10).doesNotHaveDuplicates();
		assertThat(result.get("echoed")).as("the echo of each datagram (null: never came back, in %s rounds)",
				result.get("rounds")).isEqualTo(sent);
	}

	@Test
	void unidirectionalStreamComesBackOnAStreamTheServerOpens() {
		Map<String, Object> result = run("""
				const transport = await connect();
				const incoming = transport.incomingUnidirectionalStreams.getReader();
				const sent = randomBytes(20000);
				const writable = await transport.createUnidirectionalStream();
				const writer = writable.getWriter();
				await writer.write(sent);
				await writer.close();
				const { value: serverStream } = await incoming.read();
				const received = await readAll(serverStream);
				transport.close({ closeCode: 0, reason: 'uni test done' });
				return { sent: base64(sent), received: base64(received) };
				""");
		assertThat(decode(result, "received")).isEqualTo(decode(result, "sent"));
	}

	@Test
	void closeCodeAndReasonFromTheBrowserReachTheServer() throws Exception {
		// Chromium sends CLOSE_WEBTRANSPORT_SESSION on the CONNECT stream; the server's closeSignal() reports it.
		Map<String, Object> result = run("""
				const transport = await connect();
				transport.close({ closeCode: 4242, reason: 'bye from chromium' });
				const closed = await transport.closed;
				return { closeCode: closed.closeCode, reason: closed.reason };
				""");
		assertThat(result).containsEntry("closeCode", 4242L).containsEntry("reason", "bye from chromium");

		// The server's side: the sample's session log, through its JSON API...
		Map<String, Object> session = await().atMost(WAIT).until(() -> sessionClosedWith(4242, "bye from chromium"),
				(found) -> found != null);
		assertThat(session).containsEntry("closedBy", "client")
			.containsEntry("origin", "http://127.0.0.1:" + this.httpPort)
			.containsEntry("path", "/echo");

		// ...and on the about page, which shows the same log.
		this.browser.get("http://127.0.0.1:" + this.httpPort + "/about");
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions
			.textToBePresentInElementLocated(By.id("wt-sessions"), "bye from chromium"));
		assertThat(this.browser.findElement(By.id("wt-sessions")).getText()).contains("4242");
		HeadlessChromium.screenshot(this.browser, SESSIONS_SCREENSHOT);
	}

	@Test
	void pagePanelConnectsEchoesAndCloses() throws Exception {
		WebDriverWait wait = new WebDriverWait(this.browser, WAIT);
		assertThat(this.browser.findElement(By.id("wt-status")).getText()).isEqualTo("Not connected");
		this.browser.findElement(By.id("wt-connect")).click();
		wait.until(ExpectedConditions.attributeToBe(By.id("wt-status"), "data-state", "open"));

		this.browser.findElement(By.id("wt-text")).clear();
		this.browser.findElement(By.id("wt-text")).sendKeys("Hello over QUIC ✓");
		this.browser.findElement(By.id("wt-send-stream")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#wt-log"),
				"Hello over QUIC ✓"));
		awaitEcho(wait, "Stream", "Hello over QUIC ✓");

		this.browser.findElement(By.id("wt-send-uni")).click();
		awaitEcho(wait, "Server stream", "Hello over QUIC ✓");

		// A datagram may be lost: click again until one echo shows up.
		this.browser.findElement(By.id("wt-text")).clear();
		this.browser.findElement(By.id("wt-text")).sendKeys("a datagram");
		wait.pollingEvery(Duration.ofMillis(500)).until((browser) -> {
			if (hasEcho("Datagram", "a datagram")) {
				return true;
			}
			browser.findElement(By.id("wt-send-datagram")).click();
			return false;
		});

		this.browser.executeScript("document.getElementById('webtransport').scrollIntoView()");
		HeadlessChromium.screenshot(this.browser, SCREENSHOT);

		this.browser.findElement(By.id("wt-close")).click();
		wait.until(ExpectedConditions.attributeToBe(By.id("wt-status"), "data-state", "closed"));
		assertThat(this.browser.findElement(By.id("wt-log")).getText())
			.contains("Closed, code 0, reason \"Closed from the page\"");
		assertThat(this.browser.findElement(By.id("wt-log")).findElements(By.cssSelector("li[data-kind=error]")))
			.isEmpty();
		await().atMost(WAIT).until(() -> sessionClosedWith(0, "Closed from the page"), (found) -> found != null);
	}

	private void awaitEcho(WebDriverWait wait, String label, String text) {
		wait.until((browser) -> hasEcho(label, text));
	}

	private boolean hasEcho(String label, String text) {
		return this.browser.findElements(By.cssSelector("#wt-log li[data-kind=echo]"))
			.stream()
			.anyMatch((item) -> item.findElement(By.className("tag")).getText().equalsIgnoreCase(label)
					&& item.getText().endsWith(text));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> run(String body) {
		Object result = this.browser.executeAsyncScript(PRELUDE.formatted(body));
		assertThat(result).isInstanceOf(Map.class);
		Map<String, Object> map = (Map<String, Object>) result;
		assertThat(map.get("error")).as("error in the browser").isNull();
		return map;
	}

	private static byte[] decode(Map<String, Object> result, String key) {
		return Base64.getDecoder().decode((String) result.get(key));
	}

	/** The sample's record of the session that ended with this code and reason, or {@code null}. */
	private Map<String, Object> sessionClosedWith(long code, String reason) throws IOException, InterruptedException {
		String body = http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/api/webtransport/sessions"))
			.timeout(Duration.ofSeconds(10))
			.build(), BodyHandlers.ofString()).body();
		List<Map<String, Object>> sessions = json.readValue(body, new TypeReference<>() {
		});
		return sessions.stream()
			.filter((session) -> session.get("closeCode") != null
					&& ((Number) session.get("closeCode")).longValue() == code && reason.equals(session.get("closeReason")))
			.findFirst()
			.orElse(null);
	}

}
