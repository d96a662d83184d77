package dev.stamp.boot.routing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import org.reactivestreams.Publisher;

import org.springframework.util.ReflectionUtils;

import dev.stamp.boot.HttpMethod;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;

/**
 * One {@link StampRoute} method of one bean, with its resolved protocol.
 */
public final class RouteMethod {

	private final Object bean;

	private final String beanName;

	private final Method method;

	private final StampProtocol protocol;

	private final String path;

	private final List<HttpMethod> httpMethods;

	private final String produces;

	RouteMethod(Object bean, String beanName, Method method, StampRoute annotation, String path) {
		this.bean = bean;
		this.beanName = beanName;
		this.method = method;
		this.protocol = resolveProtocol(method, annotation);
		this.path = path;
		this.httpMethods = List.of(annotation.method());
		this.produces = annotation.produces();
		ReflectionUtils.makeAccessible(method);
	}

	private static StampProtocol resolveProtocol(Method method, StampRoute annotation) {
		StampProtocol inferred = StampProtocol.inferFrom(method);
		StampProtocol declared = annotation.protocol();
		if (declared == StampProtocol.INFERRED) {
			if (inferred == StampProtocol.INFERRED) {
				throw new InvalidRouteSignatureException(method.toString(), "does not tell its protocol",
						"Declare a TcpConnection, WebSocketConnection, HttpRequest or WebTransportSession "
								+ "parameter, or set @StampRoute(protocol = ...)");
			}
			return inferred;
		}
		if (inferred != StampProtocol.INFERRED && inferred != declared) {
			throw new InvalidRouteSignatureException(method.toString(),
					"declares protocol " + declared + " but its parameters are those of " + inferred,
					"Declare the parameters of a " + declared + " route, or drop @StampRoute(protocol = ...)");
		}
		return declared;
	}

	/**
	 * Calls the method.
	 * @param arguments the arguments, in parameter order
	 * @return what the method returned
	 * @throws Exception whatever the method threw, unwrapped
	 */
	public Object invoke(Object... arguments) throws Exception {
		try {
			return this.method.invoke(this.bean, arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/**
	 * Whether the method returns a {@link Publisher} and so promises not to block.
	 * @return {@code true} for a reactive route
	 */
	public boolean isReactive() {
		return Publisher.class.isAssignableFrom(this.method.getReturnType());
	}

	public StampProtocol protocol() {
		return this.protocol;
	}

	/**
	 * The declared path; empty for TCP.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	public List<HttpMethod> httpMethods() {
		return this.httpMethods;
	}

	public String produces() {
		return this.produces;
	}

	public Method method() {
		return this.method;
	}

	public String beanName() {
		return this.beanName;
	}

	/**
	 * A short, readable description for logs, errors and the actuator endpoint.
	 * @return the description
	 */
	public String describe() {
		return this.beanName + "#" + this.method.getName()
				+ Arrays.stream(this.method.getParameterTypes())
					.map(Class::getSimpleName)
					.toList()
					.toString()
					.replace('[', '(')
					.replace(']', ')');
	}

	/**
	 * What the route serves and who serves it, e.g.
	 * {@code [GET] /api/data -> apiRoutes#data(HttpRequest)}.
	 * @return the summary
	 */
	public String summary() {
		StringBuilder text = new StringBuilder();
		if (!this.httpMethods.isEmpty()) {
			text.append(this.httpMethods).append(' ');
		}
		if (!this.path.isEmpty()) {
			text.append(this.path).append(" -> ");
		}
		return text.append(describe()).toString();
	}

	@Override
	public String toString() {
		return this.protocol.id() + " " + (this.path.isEmpty() ? "" : this.path + " -> ") + describe();
	}

}
