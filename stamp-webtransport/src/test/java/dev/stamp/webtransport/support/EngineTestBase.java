package dev.stamp.webtransport.support;

import org.junit.jupiter.api.AfterEach;

/**
 * For engine tests that start a server and a client: the endpoints a test starts are
 * closed after it, whatever happened.
 */
public abstract class EngineTestBase {

	/** The server and client of the current test, once it started them. */
	protected TestEndpoints endpoints;

	@AfterEach
	void closeEndpoints() {
		if (this.endpoints != null) {
			this.endpoints.close();
			this.endpoints = null;
		}
	}

}
