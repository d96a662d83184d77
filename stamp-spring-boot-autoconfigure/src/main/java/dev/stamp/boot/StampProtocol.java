package dev.stamp.boot;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;

import dev.stamp.webtransport.WebTransportSession;

/**
 * The protocols a {@link StampRoute} can serve. A route's protocol is told by its
 * parameter types: Stamp's own carry {@link StampProtocolParameter}.
 */
public enum StampProtocol {

	/** Inferred from the route method's parameter types. */
	INFERRED("inferred"),

	/** Raw TCP: one handler call per connection. */
	TCP("tcp"),

	/** WebSocket: one handler call per message. */
	WEBSOCKET("websocket"),

	/** HTTP/1.1: one handler call per request. */
	HTTP("http"),

	/** WebTransport over HTTP/3: one handler call per session. */
	WEBTRANSPORT("webtransport");

	private final String id;

	StampProtocol(String id) {
		this.id = id;
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
			StampProtocol protocol = identifiedBy(type);
			if (protocol == INFERRED) {
				continue;
			}
			if (found != INFERRED && found != protocol) {
				throw new IllegalStateException("@StampRoute method " + method + " mixes " + found + " and " + protocol
						+ " parameters " + Arrays.toString(method.getParameterTypes()));
			}
			found = protocol;
		}
		return found;
	}

	private static StampProtocol identifiedBy(Class<?> type) {
		StampProtocolParameter parameter = type.getAnnotation(StampProtocolParameter.class);
		if (parameter != null) {
			return parameter.value();
		}
		return EngineTypes.SESSION_TYPES.contains(type) ? WEBTRANSPORT : INFERRED;
	}

	/**
	 * The WebTransport engine's session type, which cannot carry
	 * {@link StampProtocolParameter}: the engine is Spring-free and Stamp-agnostic. The
	 * engine is optional, so its class is resolved once and only here.
	 */
	private static final class EngineTypes {

		static final Set<Class<?>> SESSION_TYPES = sessionTypes();

		private static Set<Class<?>> sessionTypes() {
			try {
				return Set.of(WebTransportSession.class);
			}
			catch (NoClassDefFoundError ex) {
				// stamp-webtransport is not on the class path: no route can take a
				// session.
				return Set.of();
			}
		}

	}

}
