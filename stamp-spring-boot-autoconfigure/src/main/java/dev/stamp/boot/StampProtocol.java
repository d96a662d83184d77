package dev.stamp.boot;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * The protocols a {@link StampRoute} can serve, with the parameter types that identify
 * each one.
 */
public enum StampProtocol {

	/** Inferred from the route method's parameter types. */
	INFERRED("inferred"),

	/** Raw TCP: one handler call per connection. */
	TCP("tcp", "dev.stamp.boot.tcp.TcpConnection", "dev.stamp.boot.tcp.ReactiveTcpConnection"),

	/** WebSocket: one handler call per message. */
	WEBSOCKET("websocket", "dev.stamp.boot.websocket.WebSocketConnection"),

	/** HTTP/1.1: one handler call per request. */
	HTTP("http", "dev.stamp.boot.http.HttpRequest"),

	/** WebTransport over HTTP/3: one handler call per session. */
	WEBTRANSPORT("webtransport", "dev.stamp.webtransport.WebTransportSession");

	private final String id;

	private final List<String> identifyingParameterTypes;

	StampProtocol(String id, String... identifyingParameterTypes) {
		this.id = id;
		this.identifyingParameterTypes = List.of(identifyingParameterTypes);
	}

	/**
	 * The lower-case name used in properties ({@code stamp.<id>.*}), metrics tags and
	 * logs.
	 * @return the protocol's id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The protocol that a method's parameter types identify.
	 * @param method a route method
	 * @return the protocol, or {@link #INFERRED} if no parameter identifies one
	 * @throws IllegalStateException if parameters of two protocols are mixed
	 */
	public static StampProtocol inferFrom(Method method) {
		StampProtocol found = INFERRED;
		for (Class<?> type : method.getParameterTypes()) {
			for (StampProtocol protocol : values()) {
				if (protocol.identifyingParameterTypes.contains(type.getName())) {
					if (found != INFERRED && found != protocol) {
						throw new IllegalStateException("@StampRoute method " + method + " mixes " + found + " and "
								+ protocol + " parameters " + Arrays.toString(method.getParameterTypes()));
					}
					found = protocol;
				}
			}
		}
		return found;
	}

}
