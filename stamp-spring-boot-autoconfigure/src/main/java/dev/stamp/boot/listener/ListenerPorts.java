package dev.stamp.boot.listener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

import dev.stamp.boot.StampProtocol;

/**
 * Publishes each listener's bound port as {@code local.stamp.<protocol>.port}, the way
 * Spring Boot publishes {@code local.server.port}, so that tests using port 0 can inject
 * it with {@code @Value}; a listener may publish more {@code local.stamp.<protocol>.*}
 * facts of its own. A protocol's additional listeners publish theirs under
 * {@code local.stamp.<protocol>.additional-listeners[<index>].*}. They are withdrawn when
 * the listener stops.
 */
public class ListenerPorts {

	static final String PROPERTY_SOURCE_NAME = "stamp.ports";

	private final ConfigurableEnvironment environment;

	private final Map<String, Object> ports = new ConcurrentHashMap<>();

	public ListenerPorts(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	/**
	 * The property a protocol's bound port is published under.
	 * @param protocol the protocol
	 * @return the property's name
	 */
	public static String propertyName(StampProtocol protocol) {
		return "local.stamp." + protocol.id() + ".port";
	}

	/**
	 * Publishes another {@code local.stamp.*} fact of a running listener, such as the
	 * WebTransport certificate hash.
	 * @param name the property name
	 * @param value its value
	 */
	public void publish(String name, Object value) {
		this.ports.put(name, value);
		MutablePropertySources sources = this.environment.getPropertySources();
		PropertySource<?> existing = sources.get(PROPERTY_SOURCE_NAME);
		if (existing == null) {
			sources.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, this.ports));
		}
	}

	/**
	 * The prefix of the properties a protocol's additional listener is published under,
	 * {@code local.stamp.<protocol>.additional-listeners[<index>].}.
	 * @param protocol the protocol
	 * @param index the additional listener's index
	 * @return the prefix, ending with a dot
	 */
	public static String additionalPrefix(StampProtocol protocol, int index) {
		return "local.stamp." + protocol.id() + ".additional-listeners[" + index + "].";
	}

	/**
	 * Withdraws a fact published earlier, once its listener stopped.
	 * @param name the property name
	 */
	public void withdraw(String name) {
		this.ports.remove(name);
	}

	/**
	 * The bound port of a protocol's listener, or {@code null} if it is not listening.
	 * @param protocol the protocol
	 * @return the port, or {@code null}
	 */
	public @Nullable Integer port(StampProtocol protocol) {
		return (Integer) this.ports.get(propertyName(protocol));
	}

}
