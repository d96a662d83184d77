package dev.stamp.boot;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import dev.stamp.boot.http.HttpAutoConfiguration;
import dev.stamp.boot.listener.ListenerPorts;
import dev.stamp.boot.tcp.TcpAutoConfiguration;
import dev.stamp.boot.websocket.WebSocketAutoConfiguration;
import dev.stamp.boot.webtransport.WebTransportAutoConfiguration;

/**
 * An {@link ApplicationContextRunner} with Stamp's auto-configurations and every listener
 * on a free port of 127.0.0.1, so tests run in parallel with anything else on the
 * machine.
 */
public final class StampContextRunner {

	private StampContextRunner() {
	}

	public static ApplicationContextRunner create() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(StampAutoConfiguration.class, TcpAutoConfiguration.class,
					WebSocketAutoConfiguration.class, HttpAutoConfiguration.class, WebTransportAutoConfiguration.class))
			.withPropertyValues("stamp.tcp.host=127.0.0.1", "stamp.tcp.port=0", "stamp.websocket.host=127.0.0.1",
					"stamp.websocket.port=0", "stamp.http.host=127.0.0.1", "stamp.http.port=0",
					"stamp.webtransport.host=127.0.0.1", "stamp.webtransport.port=0", "stamp.shutdown.grace-period=2s");
	}

	/** The bound port of a protocol's listener in a running context. */
	public static int port(ApplicationContext context, StampProtocol protocol) {
		Integer port = context.getBean(ListenerPorts.class).port(protocol);
		if (port == null) {
			throw new IllegalStateException(protocol.id() + " listener is not running");
		}
		return port;
	}

}
