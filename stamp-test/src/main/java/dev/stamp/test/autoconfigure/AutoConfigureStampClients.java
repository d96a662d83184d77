package dev.stamp.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Adds test clients for Stamp's listeners to a test's application context, each pointed
 * at the port its listener published ({@code local.stamp.<protocol>.port}), so that a
 * {@code @SpringBootTest} with {@code stamp.*.port=0} can inject and use them:
 * {@link dev.stamp.test.client.StampTcpTestClient},
 * {@link dev.stamp.test.client.StampWebSocketTestClient},
 * {@link dev.stamp.test.client.StampHttpTestClient} and
 * {@link dev.stamp.test.client.StampWebTransportTestClient} (trusting the listener's
 * development certificate).
 *
 * @see StampTestClientsAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("stamp.test.clients")
public @interface AutoConfigureStampClients {

	/**
	 * How long a client waits for a connection, a handshake, a message or a response
	 * before it fails the test, as a {@link java.time.Duration} property value.
	 * @return the timeout, {@code 10s} by default
	 */
	String timeout() default "10s";

}
