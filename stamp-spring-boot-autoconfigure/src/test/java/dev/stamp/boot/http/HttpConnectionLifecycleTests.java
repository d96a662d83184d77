package dev.stamp.boot.http;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampRoute;
import dev.stamp.core.BlockingHandlerExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the HTTP listener treats quiet connections and a full blocking-handler pool.
 */
class HttpConnectionLifecycleTests {

	private final ApplicationContextRunner runner = StampContextRunner.create().withUserConfiguration(Routes.class);

	@Test
	void idleKeepAliveConnectionAndStalledBodyAreClosedButASlowHandlerIsNot() {
		this.runner.withPropertyValues("stamp.http.idle-timeout=400ms").run((context) -> {
			try (Socket idle = open(context)) {
				idle.getOutputStream().write(request("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n"));
				assertThat(HttpListenerTests.readResponse(idle.getInputStream())).startsWith("HTTP/1.1 200")
					.endsWith("quick");
				assertThat(idle.getInputStream().read()).as("idle keep-alive connection closed").isEqualTo(-1);
			}
			try (Socket stalled = open(context)) {
				stalled.getOutputStream()
					.write(request("POST /quick HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part"));
				assertThat(stalled.getInputStream().read()).as("client stalled mid-body is closed").isEqualTo(-1);
			}
			try (Socket patient = open(context)) {
				patient.getOutputStream().write(request("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
				assertThat(HttpListenerTests.readResponse(patient.getInputStream()))
					.as("handler slower than the idle timeout")
					.startsWith("HTTP/1.1 200")
					.endsWith("slow");
			}
		});
	}

	@Test
	void fullBlockingPoolAnswers503WhileVirtualThreadsServeEveryone() {
		this.runner.withPropertyValues("stamp.blocking.max-threads=1", "stamp.blocking.queue-capacity=1")
			.run((context) -> {
				Routes routes = context.getBean(Routes.class);
				HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					responses.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(uri(context, "/held")).build(),
							HttpResponse.BodyHandlers.ofString()));
				}
				if (BlockingHandlerExecutor.virtualThreadsAvailable()) {
					// Java 21+: every call gets its own virtual thread, nothing waits or
					// is refused.
					assertThat(routes.entered.await(10, TimeUnit.SECONDS)).isTrue();
					routes.release.countDown();
					assertThat(responses).allSatisfy(
							(response) -> assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200));
					return;
				}
				// Java 17: one thread runs, one call waits in the queue, the third is
				// refused cleanly.
				HttpResponse<String> refused = CompletableFuture.anyOf(responses.toArray(CompletableFuture[]::new))
					.thenApply((response) -> (HttpResponse<String>) response)
					.get(10, TimeUnit.SECONDS);
				assertThat(refused.statusCode()).isEqualTo(503);
				assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
				routes.release.countDown();
				long succeeded = 0;
				for (CompletableFuture<HttpResponse<String>> response : responses) {
					if (response.get(10, TimeUnit.SECONDS).statusCode() == 200) {
						succeeded++;
					}
				}
				assertThat(succeeded).isEqualTo(2);
			});
	}

	@Test
	void clientThatVanishesMidCallInterruptsTheBlockingHandlerAndOthersAreStillServed() {
		this.runner.run((context) -> {
			Routes routes = context.getBean(Routes.class);
			try (Socket vanishing = open(context)) {
				vanishing.getOutputStream().write(request("GET /abandoned HTTP/1.1\r\nHost: x\r\n\r\n"));
				assertThat(routes.abandonedEntered.await(10, TimeUnit.SECONDS)).isTrue();
			}
			assertThat(routes.abandonedInterrupted.await(10, TimeUnit.SECONDS))
				.as("the handler's thread is interrupted once its client is gone")
				.isTrue();
			try (Socket next = open(context)) {
				next.getOutputStream().write(request("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n"));
				assertThat(HttpListenerTests.readResponse(next.getInputStream())).startsWith("HTTP/1.1 200")
					.endsWith("quick");
			}
		});
	}

	private static URI uri(ApplicationContext context, String path) {
		return URI.create("http://127.0.0.1:" + StampContextRunner.port(context, StampProtocol.HTTP) + path);
	}

	private static Socket open(ApplicationContext context) throws Exception {
		Socket socket = new Socket("127.0.0.1", StampContextRunner.port(context, StampProtocol.HTTP));
		socket.setSoTimeout(10_000);
		return socket;
	}

	private static byte[] request(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	@Configuration(proxyBeanMethods = false)
	static class Routes {

		final CountDownLatch entered = new CountDownLatch(3);

		final CountDownLatch release = new CountDownLatch(1);

		@StampRoute("/quick")
		String quick(HttpRequest request) {
			return "quick";
		}

		@StampRoute("/slow")
		String slow(HttpRequest request) throws InterruptedException {
			Thread.sleep(1_200);
			return "slow";
		}

		final CountDownLatch abandonedEntered = new CountDownLatch(1);

		final CountDownLatch abandonedInterrupted = new CountDownLatch(1);

		@StampRoute("/abandoned")
		String abandoned(HttpRequest request) throws InterruptedException {
			this.abandonedEntered.countDown();
			try {
				Thread.sleep(30_000);
				return "too late";
			}
			catch (InterruptedException ex) {
				this.abandonedInterrupted.countDown();
				throw ex;
			}
		}

		@StampRoute("/held")
		String held(HttpRequest request) throws InterruptedException {
			this.entered.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			return "held";
		}

	}

}
