package dev.stamp.webtransport.support;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what is logged on the root logger while open, for tests that assert how much a
 * peer can make the server log.
 */
public final class LogCapture implements AutoCloseable {

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private LogCapture() {
		this.appender.setContext(this.root.getLoggerContext());
		this.appender.start();
		this.root.addAppender(this.appender);
	}

	public static LogCapture start() {
		return new LogCapture();
	}

	/** Events logged at {@code level} or above so far. */
	public List<ILoggingEvent> atLeast(Level level) {
		List<ILoggingEvent> events = new ArrayList<>();
		synchronized (this.appender) {
			for (ILoggingEvent event : this.appender.list) {
				if (event.getLevel().isGreaterOrEqual(level)) {
					events.add(event);
				}
			}
		}
		return events;
	}

	@Override
	public void close() {
		this.root.detachAppender(this.appender);
		this.appender.stop();
	}

}
