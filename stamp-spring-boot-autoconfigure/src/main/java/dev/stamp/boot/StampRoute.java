package dev.stamp.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Declares a method of a Spring bean as a Stamp endpoint.
 * <p>
 * The protocol follows from the method's parameters, so most routes need only a path:
 * <pre class="code">
 * &#64;StampRoute("/echo")                     // WebSocket: one call per message
 * String echo(WebSocketConnection client, String message) { return "Echo: " + message; }
 *
 * &#64;StampRoute(path = "/api/data", method = HttpMethod.GET)
 * Map&lt;String, Object&gt; data(HttpRequest request) { return Map.of("data", List.of(1, 2, 3)); }
 *
 * &#64;StampRoute                              // TCP: one call per connection
 * void echo(TcpConnection connection) { ... }
 * </pre> Methods that return a {@link org.reactivestreams.Publisher} are treated as
 * non-blocking and run on the Netty event loop; all others may block and run on a virtual
 * thread (Java 21+) or a bounded pool. Set {@link #protocol()} when the parameters do not
 * say it, for example an HTTP route without parameters.
 *
 * @see StampProtocol
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StampRoute {

	/**
	 * Alias for {@link #path()}.
	 * @return the path
	 */
	@AliasFor("path")
	String value() default "";

	/**
	 * The request path the route serves: exact ({@code "/chat"}), a template with path
	 * variables as in Spring ({@code "/users/{id}"}, {@code "/users/{id:\\d+}"},
	 * {@code "/files/{*rest}"}), or {@code "~"} and a regular expression whose named
	 * groups are the path variables ({@code "~/users/(?<id>\\d+)"}). Handlers read them
	 * with {@code pathVariable(name)}; the most specific matching route serves a request,
	 * and two routes that could serve the same one fail the start. {@code ${...}}
	 * placeholders are resolved from the environment. Not used by TCP.
	 * @return the request path
	 */
	@AliasFor("value")
	String path() default "";

	/**
	 * The protocol, when it cannot be inferred from the parameter types.
	 * @return the protocol
	 */
	StampProtocol protocol() default StampProtocol.INFERRED;

	/**
	 * HTTP only: the methods this route answers; empty means GET, HEAD, POST, PUT, PATCH
	 * and DELETE.
	 * @return the HTTP methods
	 */
	HttpMethod[] method() default {};

	/**
	 * HTTP only: the {@code Content-Type} of String and byte[] results, for example
	 * {@code "text/html"}.
	 * @return the content type
	 */
	String produces() default "";

}
