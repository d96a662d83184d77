package dev.stamp.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.stamp.boot.listener.ListenerPortInUseException;

/**
 * Explains a listener whose port is taken, naming the {@code stamp.<protocol>.port}
 * property to change.
 */
class ListenerPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<ListenerPortInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ListenerPortInUseException cause) {
		String description = "Stamp's " + cause.getProtocol().id() + " listener could not start: port "
				+ cause.getPort() + " on " + cause.getHost() + " is already in use.";
		String action = "Stop the process that is listening on port " + cause.getPort() + ", or set the property '"
				+ cause.getPortProperty() + "' to another port (0 picks a free one, published as local."
				+ cause.getPortProperty() + ").";
		return new FailureAnalysis(description, action, cause);
	}

}
