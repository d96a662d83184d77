package dev.stamp.boot.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Lowers {@code dev.stamp} to ERROR while a fuzz test class runs, and restores it after:
 * refusals are logged once per burst, which at thousands of inputs a second is only
 * noise, while tests that check log lines may run next in the same JVM.
 */
public final class QuietStampLogs implements BeforeAllCallback, AfterAllCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietStampLogs.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		Logger stamp = stampLogger();
		context.getStore(NAMESPACE).put(Level.class, (stamp.getLevel() != null) ? stamp.getLevel().toString() : "");
		stamp.setLevel(Level.ERROR);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		String previous = context.getStore(NAMESPACE).get(Level.class, String.class);
		stampLogger().setLevel((previous == null || previous.isEmpty()) ? null : Level.toLevel(previous));
	}

	private static Logger stampLogger() {
		return (Logger) LoggerFactory.getLogger("dev.stamp");
	}

}
