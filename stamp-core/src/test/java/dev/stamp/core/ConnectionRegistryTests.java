package dev.stamp.core;

import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConnectionRegistryTests {

	@Test
	void admitsUpToTheLimitAndRefusesTheNext() {
		ConnectionRegistry registry = new ConnectionRegistry("test", 2);
		EmbeddedChannel first = channel();
		EmbeddedChannel second = channel();
		EmbeddedChannel third = channel();

		assertThat(registry.tryRegister(first)).isTrue();
		assertThat(registry.tryRegister(second)).isTrue();
		assertThat(registry.tryRegister(third)).isFalse();

		assertThat(registry.stats()).isEqualTo(new ConnectionStats("test", 2, 2, 2, 1));
		assertThat(new java.util.ArrayList<io.netty.channel.Channel>(registry.channels()))
			.containsExactlyInAnyOrder(first, second);
	}

	@Test
	void closingAConnectionFreesItsPlace() {
		ConnectionRegistry registry = new ConnectionRegistry("test", 1);
		EmbeddedChannel first = channel();
		assertThat(registry.tryRegister(first)).isTrue();
		first.close().syncUninterruptibly();

		EmbeddedChannel second = channel();
		assertThat(registry.tryRegister(second)).isTrue();
		assertThat(registry.stats().activeConnections()).isEqualTo(1);
		assertThat(registry.stats().acceptedConnections()).isEqualTo(2);
		assertThat(registry.stats().refusedConnections()).isZero();
	}

	@Test
	void closeAllClosesEveryTrackedChannel() {
		ConnectionRegistry registry = new ConnectionRegistry("test", 10);
		EmbeddedChannel first = channel();
		EmbeddedChannel second = channel();
		registry.tryRegister(first);
		registry.tryRegister(second);

		registry.closeAll().syncUninterruptibly();

		assertThat(first.isOpen()).isFalse();
		assertThat(second.isOpen()).isFalse();
		assertThat(registry.activeConnections()).isZero();
	}

	@Test
	void pagesWalkOpenConnectionsInOrderOfAdmissionExactlyOnce() {
		ConnectionRegistry registry = new ConnectionRegistry("test", 10);
		EmbeddedChannel first = channel();
		EmbeddedChannel second = channel();
		EmbeddedChannel third = channel();
		registry.tryRegister(first);
		registry.tryRegister(second);
		registry.tryRegister(third);

		java.util.List<io.netty.channel.Channel> page = registry.channelsAfter(0, 2);
		assertThat(page).containsExactly(first, second);
		second.close().syncUninterruptibly();
		EmbeddedChannel fourth = channel();
		registry.tryRegister(fourth);

		assertThat(registry.channelsAfter(ConnectionRegistry.idOf(page.get(1)), 2)).containsExactly(third, fourth);
		assertThat(registry.channelsAfter(ConnectionRegistry.idOf(fourth), 2)).isEmpty();
		assertThat(ConnectionRegistry.idOf(first)).isPositive();
		assertThat(ConnectionRegistry.idOf(channel())).isEqualTo(-1);
	}

	@Test
	void idsNameOneConnectionAcrossRegistries() {
		ConnectionRegistry one = new ConnectionRegistry("one", 10);
		ConnectionRegistry other = new ConnectionRegistry("other", 10);
		EmbeddedChannel first = channel();
		EmbeddedChannel second = channel();
		one.tryRegister(first);
		other.tryRegister(second);

		assertThat(ConnectionRegistry.idOf(second)).isGreaterThan(ConnectionRegistry.idOf(first));
		assertThat(one.channelsAfter(0, 10)).containsExactly(first);
	}

	private static EmbeddedChannel channel() {
		// Each channel needs its own id: a ChannelGroup keys channels by id.
		return new EmbeddedChannel(DefaultChannelId.newInstance());
	}

	@Test
	void rejectsANonPositiveLimit() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ConnectionRegistry("tcp", 0))
			.withMessageContaining("max-connections of 'tcp' must be at least 1");
	}

	@Test
	void utilizationIsTheShareOfTheLimitInUse() {
		assertThat(new ConnectionStats("x", 4, 1, 1, 0).utilization()).isEqualTo(0.25);
	}

}
