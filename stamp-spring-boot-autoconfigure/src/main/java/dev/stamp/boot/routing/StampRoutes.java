package dev.stamp.boot.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.stamp.boot.StampProtocol;

/**
 * Every {@link dev.stamp.boot.StampRoute} method found in the application context,
 * grouped by protocol. Filled by {@link StampRouteDiscoverer} while beans are created,
 * read by the listeners when they start.
 */
public class StampRoutes {

	private final List<RouteMethod> routes = new CopyOnWriteArrayList<>();

	void add(RouteMethod route) {
		this.routes.add(route);
	}

	/**
	 * The routes of one protocol, in discovery order.
	 * @param protocol the protocol
	 * @return its routes
	 */
	public List<RouteMethod> forProtocol(StampProtocol protocol) {
		return this.routes.stream().filter((route) -> route.protocol() == protocol).toList();
	}

	/**
	 * Every route.
	 * @return all routes
	 */
	public List<RouteMethod> all() {
		return List.copyOf(this.routes);
	}

}
