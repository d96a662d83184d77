package dev.stamp.boot.middleware;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.stamp.boot.StampProtocol;

import static org.assertj.core.api.Assertions.assertThat;

class MiddlewareChainTests {

	private final StampRequest request = new StampRequest(StampProtocol.HTTP, new InetSocketAddress("127.0.0.1", 5000),
			"/x", Map.of("x-api-key", List.of("secret")));

	@Test
	void runsInOrderAndStopsAtTheFirstRejection() {
		List<String> calls = new ArrayList<>();
		MiddlewareChain chain = new MiddlewareChain(List.of(recording(calls, "first", MiddlewareDecision.proceed()),
				recording(calls, "second", MiddlewareDecision.reject(403, "no")),
				recording(calls, "third", MiddlewareDecision.proceed())));
		assertThat(chain.evaluate(this.request).block()).isEqualTo(MiddlewareDecision.reject(403, "no"));
		assertThat(calls).containsExactly("first", "second");
	}

	@Test
	void emptyResultProceedsAndFailureRejectsWith500() {
		MiddlewareChain lenient = new MiddlewareChain(List.of((request) -> Mono.empty()));
		assertThat(lenient.evaluate(this.request).block().isRejected()).isFalse();
		MiddlewareChain failing = new MiddlewareChain(List.of((request) -> {
			throw new IllegalStateException("bug in a check");
		}));
		assertThat(failing.evaluate(this.request).block().status()).isEqualTo(500);
	}

	@Test
	void middlewareOnlySeesItsProtocols() {
		StampMiddleware webSocketOnly = new StampMiddleware() {

			@Override
			public Mono<MiddlewareDecision> apply(StampRequest request) {
				return Mono.just(MiddlewareDecision.reject(401, "ws only"));
			}

			@Override
			public boolean appliesTo(StampProtocol protocol) {
				return protocol == StampProtocol.WEBSOCKET;
			}

		};
		MiddlewareChain chain = new MiddlewareChain(List.of(webSocketOnly));
		assertThat(chain.appliesTo(StampProtocol.HTTP)).isFalse();
		assertThat(chain.evaluate(this.request).block().isRejected()).isFalse();
	}

	@Test
	void requireChecksAConditionOnTheRequest() {
		StampMiddleware apiKey = StampMiddleware.require((request) -> "secret".equals(request.header("X-Api-Key")), 401,
				"bad key");
		assertThat(apiKey.apply(this.request).block().isRejected()).isFalse();
		StampRequest anonymous = new StampRequest(StampProtocol.HTTP, new InetSocketAddress("127.0.0.1", 1), "/x",
				Map.of());
		assertThat(apiKey.apply(anonymous).block()).isEqualTo(MiddlewareDecision.reject(401, "bad key"));
	}

	private static StampMiddleware recording(List<String> calls, String name, MiddlewareDecision decision) {
		return (request) -> {
			calls.add(name);
			return Mono.just(decision);
		};
	}

}
