package dev.stamp.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import dev.stamp.sample.browser.Browser;
import dev.stamp.sample.browser.BrowserKind;
import dev.stamp.sample.browser.BrowserPage;
import dev.stamp.sample.browser.FailureScreenshots;
import dev.stamp.sample.browser.InEachBrowser;
import dev.stamp.test.client.StampHttpTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebTransport from real browsers, every test once in each {@link BrowserKind}
 * (Chromium's QUIC stack and Firefox's neqo are independent clients): the browser opens
 * the sample page from {@code http://127.0.0.1:<port>/} (a loopback origin is a secure
 * context, which WebTransport requires) and talks to the sample's {@code /echo} over
 * HTTP/3 on QUIC, trusting the listener's generated development certificate through
 * {@code serverCertificateHashes} with the hash the page was served.
 * <p>
 * Most tests run the browser's own WebTransport API through {@link BrowserPage#run},
 * return what came back as base64, and compare it here byte for byte; the last one drives
 * the page's WebTransport panel through its buttons. Every wait is explicit; nothing
 * asserts how long anything took.
 */
@SampleAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebTransportBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper json = JsonMapper.shared();

	/**
	 * Defines {@code connect()} (a session to the page's {@code /echo}, with the port and
	 * certificate hash the page was served), {@code readAll(readable)},
	 * {@code base64(bytes)}, {@code randomBytes(length)} and {@code sleep(ms)} for the
	 * test's body, which follows.
	 */
	private static final String PRELUDE = """
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
			""";

	@Autowired
	StampHttpTestClient http;

	@Value("${local.stamp.webtransport.port}")
	int webTransportPort;

	@Value("${local.stamp.webtransport.certificate-hash}")
	String certificateHash;

	/** One browser of each kind, started by its first test and shared by the others. */
	private final Map<BrowserKind, Browser> browsers = new EnumMap<>(BrowserKind.class);

	/** The browser of the test that runs. */
	private Browser browser;

	private BrowserPage page;

	/**
	 * The newest session in the sample's log before the test: the test's own sessions
	 * come after it.
	 */
	private long sessionsBefore;

	@RegisterExtension
	final FailureScreenshots failureScreenshots = new FailureScreenshots(() -> this.browser);

	@AfterAll
	void closeBrowsers() {
		this.browsers.values().forEach(Browser::close);
	}

	/** Opens the sample page in the browser, which the test then uses. */
	private void openPage(BrowserKind browserKind) throws Exception {
		this.browser = this.browsers.computeIfAbsent(browserKind, (kind) -> kind.launch(1024, 1500));
		this.page = this.browser.pages().isEmpty() ? this.browser.openPage() : this.browser.pages().get(0);
		this.sessionsBefore = sessions().stream()
			.mapToLong((session) -> ((Number) session.get("number")).longValue())
			.max()
			.orElse(0);
		this.page.navigate(this.http.baseUrl() + "/");
		assertThat(this.page.attribute("meta[name=stamp-webtransport-port]", "content"))
			.isEqualTo(String.valueOf(this.webTransportPort));
		assertThat(this.page.attribute("meta[name=stamp-webtransport-certificate-hash]", "content"))
			.isEqualTo(this.certificateHash);
	}

	@InEachBrowser
	void bidirectionalStreamOf64KiBComesBackByteForByte(BrowserKind browserKind) throws Exception {
		openPage(browserKind);
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

	/**
	 * Every echo ends although the page ends its side right after writing: its FIN then
	 * reaches the server just after the echo left, and Firefox's acknowledgement of the
	 * echo comes right behind it, which made quiche drop the server's FIN unsent (about
	 * one stream in ten before the engine sent a lone FIN from a task of its own).
	 */
	@InEachBrowser
	void everyEchoEndsWhenThePageEndsItsSideRightAfterWriting(BrowserKind browserKind) throws Exception {
		int streams = 30;
		openPage(browserKind);
		Map<String, Object> result = run("""
				const transport = await connect();
				const echoes = [];
				for (let i = 0; i < %d; i++) {
				  const stream = await transport.createBidirectionalStream();
				  const echo = readAll(stream.readable).then((bytes) => new TextDecoder().decode(bytes));
				  const writer = stream.writable.getWriter();
				  await writer.write(new TextEncoder().encode('echo ' + i));
				  await writer.close();
				  // Bounded, so that one stream without an end shows as such rather than as a test timeout.
				  echoes.push(await Promise.race([echo, sleep(5000).then(() => 'echo ' + i + ' without an end')]));
				}
				transport.close({ closeCode: 0, reason: 'stream ends test done' });
				return { echoes };
				""".formatted(streams));
		assertThat(((List<?>) result.get("echoes")).stream().map(String::valueOf).toList())
			.containsExactlyElementsOf(IntStream.range(0, streams).mapToObj((i) -> "echo " + i).toList());
	}

	@InEachBrowser
	void tenDatagramsComeBackByteForByte(BrowserKind browserKind) throws Exception {
		openPage(browserKind);
		// Datagrams may be lost, even on loopback: send the ones not echoed yet again, a
		// little apart, round after round, until all ten came back or the rounds run out.
		// Only what came back is asserted, never when.
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
		assertThat(result.get("echoed"))
			.as("the echo of each datagram (null: never came back, in %s rounds)", result.get("rounds"))
			.isEqualTo(sent);
	}

	@InEachBrowser
	void unidirectionalStreamComesBackOnAStreamTheServerOpens(BrowserKind browserKind) throws Exception {
		openPage(browserKind);
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

	@InEachBrowser
	void closeCodeAndReasonFromTheBrowserReachTheServer(BrowserKind browserKind) throws Exception {
		openPage(browserKind);
		// The browser sends CLOSE_WEBTRANSPORT_SESSION on the CONNECT stream (Firefox
		// then closes the QUIC connection at once); the server's closeSignal() reports
		// it. The reason names the browser, to tell their sessions apart.
		String reason = "bye from " + browserKind.id();
		Map<String, Object> result = run("""
				const transport = await connect();
				transport.close({ closeCode: 4242, reason: '%s' });
				const closed = await transport.closed;
				return { closeCode: closed.closeCode, reason: closed.reason };
				""".formatted(reason));
		assertThat(result).containsEntry("closeCode", 4242).containsEntry("reason", reason);

		// The server's side: the sample's session log, through its JSON API...
		Map<String, Object> session = await().atMost(WAIT)
			.until(() -> sessionClosedWith(4242, reason), (found) -> found != null);
		assertThat(session).containsEntry("closedBy", "client")
			.containsEntry("origin", this.http.baseUrl())
			.containsEntry("path", "/echo");

		// ...and on the about page, which shows the same log.
		this.page.navigate(this.http.baseUrl() + "/about");
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.page.text("#wt-sessions")).contains(reason));
		assertThat(this.page.text("#wt-sessions")).contains("4242");
		this.page.screenshot(screenshot("webtransport-sessions"));
	}

	@InEachBrowser
	void pagePanelConnectsEchoesAndCloses(BrowserKind browserKind) throws Exception {
		openPage(browserKind);
		assertThat(this.page.text("#wt-status")).isEqualTo("Not connected");
		this.page.click("#wt-connect");
		awaitAttribute("#wt-status", "data-state", "open");

		this.page.clear("#wt-text");
		this.page.type("#wt-text", "Hello over QUIC ✓");
		this.page.click("#wt-send-stream");
		awaitEcho("Stream", "Hello over QUIC ✓");

		this.page.click("#wt-send-uni");
		awaitEcho("Server stream", "Hello over QUIC ✓");

		// A datagram may be lost: click again until one echo shows up.
		this.page.clear("#wt-text");
		this.page.type("#wt-text", "a datagram");
		await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
			if (hasEcho("Datagram", "a datagram")) {
				return true;
			}
			this.page.click("#wt-send-datagram");
			return false;
		});

		this.page.run("document.getElementById('webtransport').scrollIntoView();", Object.class);
		this.page.screenshot(screenshot("webtransport-panel"));

		this.page.click("#wt-close");
		awaitAttribute("#wt-status", "data-state", "closed");
		assertThat(this.page.text("#wt-log")).contains("Closed, code 0, reason \"Closed from the page\"");
		List<?> errors = this.page.run("""
				return Array.from(document.querySelectorAll('#wt-log li[data-kind=error]'), (item) => item.innerText);
				""", List.class);
		assertThat(errors).as("errors the panel shows").isEmpty();
		await().atMost(WAIT).until(() -> sessionClosedWith(0, "Closed from the page"), (found) -> found != null);
	}

	private void awaitAttribute(String selector, String name, String value) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.page.attribute(selector, name)).isEqualTo(value));
	}

	private void awaitEcho(String label, String text) {
		await().atMost(WAIT).until(() -> hasEcho(label, text));
	}

	/**
	 * Whether the panel's log shows an echo with this label (its tag) ending in the text.
	 */
	private boolean hasEcho(String label, String text) {
		return this.page.run("""
				const [label, text] = %s;
				return Array.from(document.querySelectorAll('#wt-log li[data-kind=echo]')).some((item) =>
				    item.querySelector('.tag').innerText.toLowerCase() === label.toLowerCase()
				        && item.innerText.endsWith(text));
				""".formatted(json.writeValueAsString(List.of(label, text))), Boolean.class);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> run(String body) {
		return this.page.run(PRELUDE + body, Map.class);
	}

	private Path screenshot(String name) {
		return Path.of("target", "screenshots", name + "-" + this.browser.kind().id() + ".png");
	}

	private static byte[] decode(Map<String, Object> result, String key) {
		return Base64.getDecoder().decode((String) result.get(key));
	}

	/**
	 * The sample's record of a session of this test that ended with this code and reason,
	 * or {@code null}. Sessions from before the test do not count: the other browser's
	 * run closes with the same code and reason.
	 */
	private Map<String, Object> sessionClosedWith(long code, String reason) {
		return sessions().stream()
			.filter((session) -> ((Number) session.get("number")).longValue() > this.sessionsBefore)
			.filter((session) -> session.get("closeCode") != null
					&& ((Number) session.get("closeCode")).longValue() == code
					&& reason.equals(session.get("closeReason")))
			.findFirst()
			.orElse(null);
	}

	/** The sample's session log, through its JSON API. */
	private List<Map<String, Object>> sessions() {
		return json.readValue(this.http.get("/api/webtransport/sessions").body(), new TypeReference<>() {
		});
	}

}
