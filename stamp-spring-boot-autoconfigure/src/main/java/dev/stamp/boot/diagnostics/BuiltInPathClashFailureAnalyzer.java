package dev.stamp.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.stamp.boot.webtransport.BuiltInPathClashException;

/**
 * Explains an application route on the path of a built-in WebTransport route, naming the
 * property that placed the built-in one.
 */
class BuiltInPathClashFailureAnalyzer extends AbstractFailureAnalyzer<BuiltInPathClashException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BuiltInPathClashException cause) {
		String description = "The WebTransport route " + cause.getRoute() + " is declared on " + cause.getPath()
				+ ", where '" + cause.getProperty() + "' places one of Stamp's built-in routes.";
		String action = "Set '" + cause.getProperty() + "' to another path, remove it to switch the built-in route "
				+ "off, or move " + cause.getRoute() + " to another path.";
		return new FailureAnalysis(description, action, cause);
	}

}
