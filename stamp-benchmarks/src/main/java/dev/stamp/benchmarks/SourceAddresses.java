package dev.stamp.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local addresses that client sockets are bound to round-robin, {@code 127.0.0.2} to
 * {@code 127.0.0.N}: every socket to one server from one address takes one of the
 * address's ephemeral ports, and there are only {@code ip_local_port_range} of those
 * (28,232 by default), so the scale scenarios spread their connections over enough
 * addresses. All of {@code 127.0.0.0/8} is on the loopback interface on Linux: nothing to
 * configure.
 */
final class SourceAddresses {

	/**
	 * Sockets per address: well under the ephemeral range, so that the warm-up pass's
	 * sockets in TIME_WAIT and other processes' sockets leave room.
	 */
	static final int PER_ADDRESS = 16_000;

	private final List<InetSocketAddress> addresses;

	private final AtomicInteger next = new AtomicInteger();

	private SourceAddresses(List<InetSocketAddress> addresses) {
		this.addresses = addresses;
	}

	/** Enough addresses for this many sockets, at most {@code perAddress} each. */
	static SourceAddresses forSockets(int sockets, int perAddress) {
		int count = Math.max(1, Math.min(250, (sockets + perAddress - 1) / perAddress));
		List<InetSocketAddress> addresses = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			addresses.add(new InetSocketAddress("127.0.0." + (i + 2), 0));
		}
		return new SourceAddresses(addresses);
	}

	/** The address of the next socket, port 0. */
	InetSocketAddress next() {
		return this.addresses.get(Math.floorMod(this.next.getAndIncrement(), this.addresses.size()));
	}

	int size() {
		return this.addresses.size();
	}

	/** "127.0.0.2..127.0.0.N", for the report. */
	String describe() {
		return this.addresses.get(0).getHostString() + ((this.addresses.size() > 1)
				? ".." + this.addresses.get(this.addresses.size() - 1).getHostString() : "");
	}

	/** The kernel's ephemeral port range, for the report; "?" where unknown. */
	static String ephemeralPortRange() {
		try {
			// readAllLines: procfs files report size 0, which readString trusts.
			return String.join(" ", Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")))
				.trim()
				.replaceAll("\\s+", "-");
		}
		catch (IOException ex) {
			return "?";
		}
	}

}
