package dev.stamp.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

import dev.stamp.test.autoconfigure.AutoConfigureStampClients;

/**
 * The whole sample application in the test's JVM, every listener on any free port (0) of
 * 127.0.0.1: the tests never clash with a running application (whose
 * {@code application.yml} ports are fixed) or with each other. Every test class with this
 * annotation shares one application context, with the test clients of
 * {@link AutoConfigureStampClients} pointed at those ports.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(properties = { "stamp.tcp.port=0", "stamp.tcp.host=127.0.0.1", "stamp.websocket.port=0",
		"stamp.websocket.host=127.0.0.1", "stamp.http.port=0", "stamp.http.host=127.0.0.1", "stamp.webtransport.port=0",
		"stamp.webtransport.host=127.0.0.1" })
@AutoConfigureStampClients
@interface SampleAppTest {

}
