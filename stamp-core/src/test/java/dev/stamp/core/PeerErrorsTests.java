package dev.stamp.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerErrorsTests {

	@Test
	void countsEveryErrorByKind() {
		PeerErrors errors = new PeerErrors("http listener");
		long start = 1_000_000_000L;
		errors.record("bad-host", "a", "no Host header; answered 400", null, start);
		errors.record("bad-host", "b", "no Host header; answered 400", null, start + 1);
		errors.record("header-timeout", "c", "request head not complete in 10s; closed", null, start + 2);
		assertThat(errors.total()).isEqualTo(3);
		assertThat(errors.count("bad-host")).isEqualTo(2);
		assertThat(errors.count("header-timeout")).isEqualTo(1);
		assertThat(errors.count("never-seen")).isZero();
		assertThat(errors.counts()).containsExactly(java.util.Map.entry("bad-host", 2L),
				java.util.Map.entry("header-timeout", 1L));
	}

	@Test
	void logsTheFirstErrorOfABurstAndCountsTheRest() {
		PeerErrors errors = new PeerErrors("websocket listener");
		long start = 1_000_000_000L;
		errors.record("invalid-utf8", "a", "closed with 1007", null, start);
		errors.record("invalid-utf8", "a", "closed with 1007", null, start + 1_000);
		errors.record("reserved-opcode", "b", "closed with 1002", null, start + 2_000);
		assertThat(errors.suppressedInCurrentBurst()).isEqualTo(2);
		errors.record("invalid-utf8", "a", "closed with 1007", null, start + 2_000 + BurstGate.QUIET_PERIOD_NANOS + 1);
		assertThat(errors.suppressedInCurrentBurst()).isZero();
		assertThat(errors.total()).isEqualTo(4);
	}

}
