package dev.stamp.boot.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a node's listeners and topic counters are written to its Redis hash: compact,
 * bounded, and readable from nodes of an earlier version.
 */
class ClusterNodeTests {

	@Test
	void aListenerAndItsCountersSurviveTheRoundTrip() {
		ClusterNode.NodeListener listener = new ClusterNode.NodeListener("webtransport", "0.0.0.0", 4433, 2, 100, 7, 1,
				Map.of("sessions.active", 3L, "middleware.refused", 0L));
		String encoded = listener.encode();
		assertThat(ClusterNode.NodeListener.decode("webtransport", encoded)).isEqualTo(listener);
	}

	@Test
	void aListenerWithoutCountersIsWrittenCompactly() {
		ClusterNode.NodeListener listener = new ClusterNode.NodeListener("tcp", "127.0.0.1", 9000, 1, 10, 5, 0,
				Map.of());
		assertThat(listener.encode()).isEqualTo("127.0.0.1|9000|1|10|5|0|");
		assertThat(ClusterNode.NodeListener.decode("tcp", listener.encode())).isEqualTo(listener);
	}

	@Test
	void anEntryOfAnEarlierVersionWithoutCountersIsRead() {
		assertThat(ClusterNode.NodeListener.decode("tcp", "127.0.0.1|9000|1|10|5|0"))
			.isEqualTo(new ClusterNode.NodeListener("tcp", "127.0.0.1", 9000, 1, 10, 5, 0, Map.of()));
		assertThat(ClusterNode.TopicCounters.decode(null)).isEqualTo(ClusterNode.TopicCounters.NONE);
	}

	@Test
	void countersAreBoundedAndNamesThatWouldBreakTheEncodingAreLeftOut() {
		Map<String, Long> counters = new LinkedHashMap<>();
		counters.put("bad|name", 1L);
		counters.put("bad,name", 1L);
		counters.put("bad=name", 1L);
		for (int i = 0; i < ClusterNode.NodeListener.MAX_COUNTERS + 10; i++) {
			counters.put("counter." + i, (long) i);
		}
		ClusterNode.NodeListener decoded = ClusterNode.NodeListener.decode("tcp",
				new ClusterNode.NodeListener("tcp", "h", 1, 0, 1, 0, 0, counters).encode());
		assertThat(decoded.counters()).hasSize(ClusterNode.NodeListener.MAX_COUNTERS)
			.containsEntry("counter.0", 0L)
			.doesNotContainKeys("bad|name", "bad,name", "bad=name");
	}

	@Test
	void garbageIsNotANode() {
		assertThat(ClusterNode.NodeListener.decode("tcp", "h|not-a-port|0|1|0|0|")).isNull();
		assertThat(ClusterNode.NodeListener.decode("tcp", "h|1|0|1|0|0|x=y")).isNull();
		assertThat(ClusterNode.NodeListener.decode("tcp", "h|1|0")).isNull();
	}

	@Test
	void topicCountersSurviveTheRoundTrip() {
		ClusterNode.TopicCounters counters = new ClusterNode.TopicCounters(12, 34, 5);
		assertThat(counters.encode()).isEqualTo("12|34|5");
		assertThat(ClusterNode.TopicCounters.decode(counters.encode())).isEqualTo(counters);
	}

}
