package dev.stamp.boot.routing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Resolves the arguments of a route method from what a protocol has at hand for one call.
 * <p>
 * Each protocol declares which parameter types it can supply and how; the method's
 * signature is checked once, at start-up, so that a route with an unsupported parameter
 * fails the application's start with a clear message instead of failing at its first
 * call.
 *
 * @param <C> what the protocol has for one call, for example a connection and a message
 */
public final class RouteArguments<C> {

	private final Map<Class<?>, Function<C, Object>> suppliers = new LinkedHashMap<>();

	/**
	 * Declares a parameter type this protocol can supply.
	 * @param type the parameter type
	 * @param supplier how to get the argument from one call's context
	 * @param <A> the parameter type
	 * @return this
	 */
	public <A> RouteArguments<C> supply(Class<A> type, Function<C, ? extends A> supplier) {
		this.suppliers.put(type, supplier::apply);
		return this;
	}

	/**
	 * Checks a route method's signature and prepares its argument resolution.
	 * @param route the route method
	 * @return resolves one call's arguments, in parameter order
	 * @throws InvalidRouteSignatureException if a parameter type is not supported
	 */
	@SuppressWarnings("unchecked")
	public Function<C, Object[]> bind(RouteMethod route) {
		Class<?>[] types = route.method().getParameterTypes();
		Function<C, Object>[] resolvers = new Function[types.length];
		for (int i = 0; i < types.length; i++) {
			Function<C, Object> supplier = this.suppliers.get(types[i]);
			if (supplier == null) {
				throw new InvalidRouteSignatureException(route.describe(),
						"has a parameter of type " + types[i].getName() + " that a " + route.protocol().id()
								+ " route cannot receive",
						"A " + route.protocol().id() + " route may declare, in any order: "
								+ this.suppliers.keySet().stream().map(Class::getSimpleName).toList());
			}
			resolvers[i] = supplier;
		}
		return (context) -> {
			Object[] arguments = new Object[resolvers.length];
			for (int i = 0; i < resolvers.length; i++) {
				arguments[i] = resolvers[i].apply(context);
			}
			return arguments;
		};
	}

}
