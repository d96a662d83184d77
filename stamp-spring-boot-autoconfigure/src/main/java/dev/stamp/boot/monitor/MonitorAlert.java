package dev.stamp.boot.monitor;

import java.time.Instant;

/**
 * Something the monitor noticed.
 *
 * @param time when it was noticed
 * @param severity how bad it is
 * @param listener the protocol id of the listener concerned
 * @param message what happened, in a sentence
 */
public record MonitorAlert(Instant time, Severity severity, String listener, String message) {

	/** How bad an alert is. */
	public enum Severity {

		/**
		 * Worth a look: the listener serves, but close to a limit or refusing some
		 * clients.
		 */
		WARNING,

		/** A listener that should serve does not. */
		CRITICAL

	}

}
