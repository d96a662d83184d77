package dev.stamp.boot.routing;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.stamp.boot.StampRoute;

/**
 * Finds {@link StampRoute} methods on every bean as it is initialized and records them in
 * {@link StampRoutes}. Works like Spring's own {@code @Scheduled} and
 * {@code @EventListener} discovery: proxies are seen through, and classes without the
 * annotation are remembered so they are inspected once.
 */
public class StampRouteDiscoverer implements BeanPostProcessor {

	private final BeanFactory beanFactory;

	private final Set<Class<?>> classesWithoutRoutes = ConcurrentHashMap.newKeySet();

	private volatile StampRoutes routes;

	public StampRouteDiscoverer(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.classesWithoutRoutes.contains(targetClass) || bean instanceof StampRoutes) {
			return bean;
		}
		Map<Method, StampRoute> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<StampRoute>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, StampRoute.class));
		if (annotated.isEmpty()) {
			this.classesWithoutRoutes.add(targetClass);
			return bean;
		}
		StampRoutes registry = routes();
		annotated.forEach((method, annotation) -> {
			// Invoke through the bean (possibly a proxy) so that aspects such as
			// @Transactional still apply.
			Method invocable = MethodIntrospector.selectInvocableMethod(method, bean.getClass());
			registry.add(new RouteMethod(bean, beanName, invocable, annotation, resolvePath(annotation.path())));
		});
		return bean;
	}

	/**
	 * Resolves {@code ${...}} placeholders, so that paths can come from configuration
	 * like {@code @RequestMapping}.
	 * @param path the declared path
	 * @return the path with its placeholders resolved
	 */
	private String resolvePath(String path) {
		if (this.beanFactory instanceof ConfigurableBeanFactory configurable && path.contains("${")) {
			String resolved = configurable.resolveEmbeddedValue(path);
			return (resolved != null) ? resolved : path;
		}
		return path;
	}

	private StampRoutes routes() {
		StampRoutes current = this.routes;
		if (current == null) {
			current = this.beanFactory.getBean(StampRoutes.class);
			this.routes = current;
		}
		return current;
	}

}
