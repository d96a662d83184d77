package dev.stamp.boot.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.boot.tcp.TcpConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Startup and shutdown hooks: {@code @EventListener} methods see each listener start with
 * its real port and stop.
 */
class StampListenerEventTests {

	private static final List<String> events = new CopyOnWriteArrayList<>();

	@Test
	void applicationHearsListenersStartAndStop() {
		events.clear();
		int[] port = new int[1];
		StampContextRunner.create().withUserConfiguration(Hooks.class).run((context) -> {
			port[0] = StampContextRunner.port(context, StampProtocol.TCP);
			assertThat(events).containsExactly("started tcp " + port[0]);
		});
		assertThat(events).containsExactly("started tcp " + port[0], "stopped tcp " + port[0]);
	}

	@Configuration(proxyBeanMethods = false)
	static class Hooks {

		@StampRoute
		void tcp(TcpConnection connection) {
		}

		@EventListener
		void started(StampListenerStartedEvent event) {
			events.add("started " + event.getListener().protocol().id() + " " + event.getPort());
		}

		@EventListener
		void stopped(StampListenerStoppedEvent event) {
			events.add("stopped " + event.getListener().protocol().id() + " " + event.getPort());
		}

	}

}
