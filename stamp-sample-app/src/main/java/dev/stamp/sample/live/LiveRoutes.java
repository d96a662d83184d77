package dev.stamp.sample.live;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.http.HttpRequest;
import dev.stamp.boot.topic.StampTopics;
import dev.stamp.boot.webtransport.WebTransportTopics;
import dev.stamp.webtransport.WebTransportSession;

/**
 * Live topics across the nodes of a cluster: WebTransport {@code /live/{topic}} joins the
 * session to the topic, whose messages then arrive on a unidirectional stream the server
 * opens (framing in docs/cluster.md, "WebTransport topic streams"), and HTTP {@code POST
 * /api/topics/{topic}} publishes the request's body on it. The two may be on different
 * nodes: with the {@code cluster} profile a publish on one node reaches the sessions of
 * every node, in the order it was published.
 * <p>
 * Both routes name the same topic, {@code live/<topic>}, and accept the same short names,
 * so nothing a client sends can reach another application's topics.
 */
@Component
public class LiveRoutes {

	/** The topics the page's live panel follows, inside the application's topics. */
	static final String TOPIC_PREFIX = "live/";

	private static final String TOPIC_VARIABLE = "{topic:[A-Za-z0-9_-]{1,64}}";

	private final StampTopics topics;

	/** Absent when the WebTransport listener is switched off; the HTTP route works on. */
	private final ObjectProvider<WebTransportTopics> webTransportTopics;

	public LiveRoutes(StampTopics topics, ObjectProvider<WebTransportTopics> webTransportTopics) {
		this.topics = topics;
		this.webTransportTopics = webTransportTopics;
	}

	/**
	 * Follows a topic until the browser closes the session, which then leaves the topic
	 * by itself.
	 * @param session the browser's session
	 * @return completes when the session is over
	 */
	@StampRoute("/live/" + TOPIC_VARIABLE)
	public Mono<Void> follow(WebTransportSession session) {
		this.webTransportTopics.getObject().join(topic(session.pathVariable("topic")), session);
		return session.closeSignal().then();
	}

	/**
	 * {@code POST /api/topics/{topic}}: publishes the body, as text, to every session
	 * following the topic on every node.
	 * @param request the request, whose body is the message
	 * @return the topic the message went to, written as JSON
	 */
	@StampRoute(path = "/api/topics/" + TOPIC_VARIABLE, method = HttpMethod.POST)
	public Map<String, String> publish(HttpRequest request) {
		String topic = request.pathVariable("topic");
		this.topics.publish(topic(topic), request.bodyAsString());
		return Map.of("published", topic);
	}

	private static String topic(String name) {
		return TOPIC_PREFIX + name;
	}

}
