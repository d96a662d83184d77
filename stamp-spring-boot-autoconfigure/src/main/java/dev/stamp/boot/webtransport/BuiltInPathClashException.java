package dev.stamp.boot.webtransport;

/**
 * An application's WebTransport route has the path of one of Stamp's built-in routes
 * ({@code stamp.webtransport.echo-path} or {@code stamp.webtransport.health-path}). The
 * application does not start; the failure analysis names the property to change.
 */
public class BuiltInPathClashException extends IllegalStateException {

	private final String path;

	private final String property;

	private final String route;

	BuiltInPathClashException(String path, String property, String route) {
		super("WebTransport route " + route + " has the path " + path + " of the built-in route set by " + property);
		this.path = path;
		this.property = property;
		this.route = route;
	}

	/**
	 * Returns the path both routes declare.
	 * @return the path both routes declare
	 */
	public String getPath() {
		return this.path;
	}

	/**
	 * Returns the property that puts the built-in route there.
	 * @return the property that puts the built-in route there
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Returns the application's route.
	 * @return the application's route
	 */
	public String getRoute() {
		return this.route;
	}

}
