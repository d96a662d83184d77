package dev.stamp.boot.routing;

/**
 * A {@link dev.stamp.boot.StampRoute} method that Stamp cannot call: a parameter its
 * protocol cannot supply, or parameters that do not tell one protocol. The application
 * does not start; the failure analysis names the method and what it may declare.
 */
public class InvalidRouteSignatureException extends IllegalStateException {

	private final String method;

	private final String problem;

	private final String allowed;

	/**
	 * Creates the exception for one route method.
	 * @param method the route method, as {@link RouteMethod#describe()} or
	 * {@link java.lang.reflect.Method#toString()} shows it
	 * @param problem what is wrong with it, as a clause ("has a parameter of type ...")
	 * @param allowed what the method may declare instead, as a sentence
	 */
	public InvalidRouteSignatureException(String method, String problem, String allowed) {
		super("@StampRoute method " + method + " " + problem + ". " + allowed);
		this.method = method;
		this.problem = problem;
		this.allowed = allowed;
	}

	/**
	 * Returns the route method.
	 * @return the route method
	 */
	public String getMethod() {
		return this.method;
	}

	/**
	 * Returns what is wrong with its signature.
	 * @return what is wrong with its signature
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * Returns what it may declare instead.
	 * @return what it may declare instead
	 */
	public String getAllowed() {
		return this.allowed;
	}

}
