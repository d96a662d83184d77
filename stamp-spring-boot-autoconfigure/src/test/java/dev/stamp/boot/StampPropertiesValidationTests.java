package dev.stamp.boot;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.validation.FieldError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StampProperties} is validated when it is bound: a value that cannot work fails
 * the start, naming the property.
 */
class StampPropertiesValidationTests {

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource({ "stamp.monitor.interval, 0s", "stamp.monitor.interval, -5s", "stamp.monitor.history-size, 0",
			"stamp.monitor.utilization-threshold, 1.5", "stamp.tcp.port, 65536", "stamp.http.port, -1",
			"stamp.tcp.max-connections, -1", "stamp.websocket.max-connections, 0",
			"stamp.websocket.max-message-size, -1B", "stamp.websocket.max-message-size, 0B",
			"stamp.http.max-request-size, -1KB", "stamp.http.request-header-timeout, -1s",
			"stamp.webtransport.max-sessions, -3", "stamp.webtransport.max-datagram-size, -1B",
			"stamp.webtransport.socket-receive-buffer, -1B", "stamp.webtransport.socket-send-buffer, -1KB",
			"stamp.blocking.max-threads, 0", "stamp.blocking.queue-capacity, -1", "stamp.shutdown.grace-period, -1s",
			"stamp.tcp.idle-timeout, -1s", "stamp.middleware.rate-limit.window, 0s",
			"stamp.middleware.rate-limit.max-requests, -1" })
	void valueThatCannotWorkFailsTheStartNamingTheProperty(String property, String value) {
		StampContextRunner.create().withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rejectedProperties(context.getStartupFailure())).containsExactly(property);
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource({ "stamp.tcp.port, 0", "stamp.tcp.port, 65535", "stamp.tcp.idle-timeout, 0s",
			"stamp.http.request-body-timeout, 0s", "stamp.http.max-request-size, 0B",
			"stamp.monitor.utilization-threshold, 1" })
	void boundaryValuesThatMeanSomethingAreAccepted(String property, String value) {
		StampContextRunner.create()
			.withPropertyValues(property + "=" + value)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static List<String> rejectedProperties(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof BindValidationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a bind validation failure in %s", failure).isNotNull();
		ValidationErrors errors = ((BindValidationException) cause).getValidationErrors();
		return errors.getAllErrors()
			.stream()
			.map((error) -> errors.getName() + "."
					+ DataObjectPropertyName.toDashedForm(((FieldError) error).getField()))
			.toList();
	}

}
