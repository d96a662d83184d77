package dev.stamp.webtransport.internal;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link SharedDatagramSockets}: a socket takes its number of connections and no more,
 * per key, and closes with the last of them.
 */
class SharedDatagramSocketsTests {

	private final List<String> bound = new ArrayList<>();

	private SharedDatagramSockets<String> sockets(int connectionsPerSocket) {
		return new SharedDatagramSockets<>(connectionsPerSocket, (key) -> {
			this.bound.add(key);
			return new EmbeddedChannel();
		});
	}

	@Test
	void aSocketTakesItsNumberOfConnectionsThenANewOneIsBound() {
		SharedDatagramSockets<String> sockets = sockets(3);
		List<SharedDatagramSockets<String>.Lease> leases = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			leases.add(sockets.acquire("a"));
		}
		assertThat(this.bound).containsExactly("a", "a", "a");
		assertThat(leases.subList(0, 3)).extracting(SharedDatagramSockets.Lease::channel)
			.containsOnly(leases.get(0).channel());
		assertThat(leases.subList(3, 6)).extracting(SharedDatagramSockets.Lease::channel)
			.containsOnly(leases.get(3).channel());
		assertThat(leases.get(6).channel()).isNotIn(leases.get(0).channel(), leases.get(3).channel());
	}

	@Test
	void aFullSocketClosesWithItsLastConnectionAndNotBefore() {
		SharedDatagramSockets<String> sockets = sockets(2);
		SharedDatagramSockets<String>.Lease first = sockets.acquire("a");
		SharedDatagramSockets<String>.Lease second = sockets.acquire("a");
		Channel channel = first.channel();
		first.release();
		first.release(); // idempotent: it must not count for the second connection
		assertThat(channel.isOpen()).isTrue();
		second.release();
		assertThat(channel.isOpen()).isFalse();
	}

	@Test
	void aSocketStillTakingConnectionsStaysOpenWhenItsConnectionsAreGone() {
		SharedDatagramSockets<String> sockets = sockets(2);
		SharedDatagramSockets<String>.Lease first = sockets.acquire("a");
		Channel channel = first.channel();
		first.release();
		assertThat(channel.isOpen()).isTrue();
		// The next connection gets the same socket, which is then full.
		SharedDatagramSockets<String>.Lease second = sockets.acquire("a");
		assertThat(second.channel()).isSameAs(channel);
		second.release();
		assertThat(channel.isOpen()).isFalse();
		assertThat(this.bound).hasSize(1);
	}

	@Test
	void oneConnectionPerSocketGivesEveryConnectionItsOwnSocketClosedWithIt() {
		SharedDatagramSockets<String> sockets = sockets(1);
		SharedDatagramSockets<String>.Lease first = sockets.acquire("a");
		SharedDatagramSockets<String>.Lease second = sockets.acquire("a");
		assertThat(first.channel()).isNotSameAs(second.channel());
		first.release();
		assertThat(first.channel().isOpen()).isFalse();
		assertThat(second.channel().isOpen()).isTrue();
	}

	@Test
	void keysNeverShareASocket() {
		SharedDatagramSockets<String> sockets = sockets(10);
		assertThat(sockets.acquire("a").channel()).isNotSameAs(sockets.acquire("b").channel());
		assertThat(this.bound).containsExactly("a", "b");
	}

	@Test
	void lessThanOneConnectionPerSocketIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> sockets(0)).withMessageContaining("at least 1");
	}

}
