package dev.stamp.boot.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.stamp.boot.routing.InvalidRouteSignatureException;

/**
 * Explains a {@code @StampRoute} method Stamp cannot call, naming the method and what it
 * may declare.
 */
class InvalidRouteSignatureFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRouteSignatureException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidRouteSignatureException cause) {
		String description = "The @StampRoute method " + cause.getMethod() + " " + cause.getProblem() + ".";
		String action = "Change the signature of " + cause.getMethod() + ". " + cause.getAllowed() + ".";
		return new FailureAnalysis(description, action, cause);
	}

}
