package dev.stamp.boot.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.boot.topic.StampTopics;

/**
 * The WebSocket routes of an application with their rooms, shared by every WebSocket
 * listener: a client of {@code /chat} on one listener and a client of {@code /chat} on
 * another are peers, and a {@code broadcast} reaches both.
 */
public final class WebSocketRooms {

	private final Map<RouteMethod, WebSocketRoute> routes = new ConcurrentHashMap<>();

	private final StampTopics topics;

	/**
	 * Creates the rooms of an application.
	 * @param topics the topics that every room is one of, so that a broadcast reaches the
	 * room on every node
	 */
	public WebSocketRooms(StampTopics topics) {
		this.topics = topics;
	}

	/**
	 * The one route object of a route method, created on first use.
	 * @param method the route method
	 * @return its route, the same for every listener
	 */
	WebSocketRoute route(RouteMethod method) {
		return this.routes.computeIfAbsent(method, (key) -> new WebSocketRoute(key, this.topics));
	}

}
