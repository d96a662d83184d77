package dev.stamp.sample.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import org.springframework.web.util.HtmlUtils;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.http.HttpResponse;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.webtransport.WebTransportListener;

/**
 * The site on the HTTP listener: the chat page at {@code /}, {@code /about}, and the
 * stylesheet they share.
 * <p>
 * The chat page is served by the HTTP listener but talks to the WebSocket listener, which
 * has its own port. That port is only known once the listener has bound (it may be 0,
 * "any free port", in tests), so the page is rendered per request with the port Stamp
 * published as {@code local.stamp.websocket.port}, and the browser connects to
 * {@code ws://<the page's host>:<port>/chat}.
 * <p>
 * The page's WebTransport panel works the same way: it gets the WebTransport listener's
 * port and, when the listener serves its generated development certificate, that
 * certificate's SHA-256, which the browser needs in {@code serverCertificateHashes} to
 * trust a certificate no CA signed.
 */
@Component
public class PageRoutes {

	static final String WEBSOCKET_PORT = "local.stamp.websocket.port";

	static final String TCP_PORT = "local.stamp.tcp.port";

	static final String HTTP_PORT = "local.stamp.http.port";

	static final String WEBTRANSPORT_PORT = "local.stamp.webtransport.port";

	/**
	 * Only published when the listener generated its own development certificate (no SSL
	 * bundle configured).
	 */
	static final String WEBTRANSPORT_CERTIFICATE_HASH = WebTransportListener.CERTIFICATE_HASH_PROPERTY;

	private final Environment environment;

	private final StampTopics topics;

	private final String indexTemplate = load("web/index.html");

	private final String aboutTemplate = load("web/about.html");

	private final String stylesheet = load("web/style.css");

	public PageRoutes(Environment environment, StampTopics topics) {
		this.environment = environment;
		this.topics = topics;
	}

	/**
	 * The chat page. Not cacheable: it embeds a port that can change from one run to the
	 * next.
	 * @param request the page request
	 * @return the rendered page, marked {@code no-store}
	 */
	@StampRoute(path = "/", method = HttpMethod.GET, produces = "text/html")
	public HttpResponse index(HttpRequest request) {
		String html = render(this.indexTemplate,
				Map.of("websocketPort", port(WEBSOCKET_PORT), "webtransportPort", port(WEBTRANSPORT_PORT),
						"webtransportCertificateHash", port(WEBTRANSPORT_CERTIFICATE_HASH), "clustered",
						String.valueOf(this.topics.isClustered()), "nodeLabel", nodeLabel()));
		return HttpResponse.status(200).header("Cache-Control", "no-store").body(html);
	}

	/**
	 * What this application is, with the ports it actually listens on.
	 * @param request the page request
	 * @return the rendered about page
	 */
	@StampRoute(path = "/about", method = HttpMethod.GET, produces = "text/html")
	public HttpResponse about(HttpRequest request) {
		String html = render(this.aboutTemplate, Map.of("httpPort", port(HTTP_PORT), "websocketPort",
				port(WEBSOCKET_PORT), "tcpPort", port(TCP_PORT), "webtransportPort", port(WEBTRANSPORT_PORT)));
		return HttpResponse.status(200).header("Cache-Control", "no-store").body(html);
	}

	@StampRoute(path = "/style.css", method = HttpMethod.GET, produces = "text/css")
	public String stylesheet(HttpRequest request) {
		return this.stylesheet;
	}

	/**
	 * Which node served the page, so that people on two nodes of a cluster can see the
	 * chat cross between them. The node id is configuration, hence escaped.
	 * @return the label for the page's header
	 */
	private String nodeLabel() {
		return this.topics.isClustered() ? "node " + HtmlUtils.htmlEscape(this.topics.nodeId()) : "single node";
	}

	/**
	 * A published port (or certificate hash), or an empty string when that listener is
	 * not running (the page then says that part is off).
	 * @param property the {@code local.stamp.*} property to read
	 * @return its value, or an empty string
	 */
	private String port(String property) {
		return this.environment.getProperty(property, "");
	}

	/**
	 * Replaces {@code {{name}}} placeholders. Values are ports (digits), a base64 hash
	 * ({@code A-Z a-z 0-9 + / =}) and the escaped node label, so they need no further
	 * escaping.
	 * @param template the page with its placeholders
	 * @param values the value of each placeholder, by name
	 * @return the page with every known placeholder replaced
	 */
	static String render(String template, Map<String, String> values) {
		String result = template;
		for (Map.Entry<String, String> value : values.entrySet()) {
			result = result.replace("{{" + value.getKey() + "}}", value.getValue());
		}
		return result;
	}

	private static String load(String path) {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			return StreamUtils.copyToString(in, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Missing page resource " + path, ex);
		}
	}

}
