package dev.stamp.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLogTests {

	@Test
	void countsRefusalsWithinABurstInsteadOfLoggingThem() {
		RefusalLog log = new RefusalLog("tcp listener", "connection", "max-connections", 5);
		long start = 1_000_000_000L;
		log.refused("a", start);
		log.refused("b", start + 1_000);
		log.refused("c", start + 2_000);
		assertThat(log.suppressedInCurrentBurst()).isEqualTo(2);
	}

	@Test
	void aQuietPeriodStartsANewBurst() {
		RefusalLog log = new RefusalLog("tcp listener", "connection", "max-connections", 5);
		long start = 1_000_000_000L;
		log.refused("a", start);
		log.refused("b", start + 1);
		log.refused("c", start + 1 + RefusalLog.QUIET_PERIOD_NANOS + 1);
		assertThat(log.suppressedInCurrentBurst()).isZero();
	}

}
