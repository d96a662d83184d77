package dev.stamp.boot.webtransport;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.stamp.boot.routing.RouteArguments;
import dev.stamp.boot.routing.RouteMethod;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.server.BlockingWebTransportHandler;
import dev.stamp.webtransport.server.WebTransportHandler;

/**
 * One WebTransport route: its method as an engine session handler, reactive when the
 * method returns a {@link Publisher}, blocking otherwise. Each session is listed in
 * {@link WebTransportSessions} before the method gets it.
 */
final class WebTransportRoute {

	private final RouteMethod method;

	private final Function<WebTransportSession, Object[]> arguments;

	private final WebTransportSessions sessions;

	/**
	 * The method is declared to return {@code Mono<Void>}: its result goes to the engine
	 * as it is, without an operator (and its subscriber, held for the session's life)
	 * that would only drop values there are none of.
	 */
	private final boolean returnsMonoOfVoid;

	WebTransportRoute(RouteMethod method, WebTransportSessions sessions) {
		this.method = method;
		this.sessions = sessions;
		this.returnsMonoOfVoid = isMonoOfVoid(method.method().getGenericReturnType());
		this.arguments = new RouteArguments<WebTransportSession>()
			.supply(WebTransportSession.class, Function.identity())
			.bind(method);
	}

	RouteMethod method() {
		return this.method;
	}

	boolean isReactive() {
		return this.method.isReactive();
	}

	WebTransportHandler reactiveHandler() {
		return (session) -> Mono.defer(() -> {
			this.sessions.register(this.method.path(), session);
			try {
				Object result = this.method.invoke(this.arguments.apply(session));
				if (result == null) {
					return Mono.<Void>empty();
				}
				if (this.returnsMonoOfVoid && result instanceof Mono<?> mono) {
					@SuppressWarnings("unchecked")
					Mono<Void> done = (Mono<Void>) mono;
					return done;
				}
				return Flux.from((Publisher<?>) result).then();
			}
			catch (Exception ex) {
				return Mono.error(ex);
			}
		});
	}

	private static boolean isMonoOfVoid(Type type) {
		return type instanceof ParameterizedType parameterized && parameterized.getRawType() == Mono.class
				&& parameterized.getActualTypeArguments()[0] == Void.class;
	}

	BlockingWebTransportHandler blockingHandler() {
		return (session) -> {
			this.sessions.register(this.method.path(), session);
			this.method.invoke(this.arguments.apply(session));
		};
	}

}
