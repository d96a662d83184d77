package dev.stamp.boot.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.util.unit.DataSize;

import dev.stamp.boot.StampProperties;
import dev.stamp.boot.http.HttpRequestGuard;
import dev.stamp.boot.http.HttpRequestLimits;
import dev.stamp.core.PeerErrors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes Stamp's {@link HttpRequestGuard} behind the HTTP/1.1 decoder, as the HTTP and
 * WebSocket listeners install it: whatever the bytes, every request that reaches the
 * application decoded cleanly, has one way to find its end (no {@code Transfer-Encoding}
 * but a single {@code chunked}, at most one Content-Length, never both) and, on HTTP/1.1,
 * one Host; once the guard has refused a request, nothing more reaches the application
 * and the refusal is the last response on the connection, a 4xx with
 * {@code Connection: close}; every refusal is counted; nothing leaks.
 */
@ExtendWith(QuietStampLogs.class)
class HttpRequestGuardFuzzTests {

	private static final int MAX_HEADER_SIZE = 1024;

	private static final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

	@FuzzTest(maxDuration = FuzzDurations.PER_TARGET)
	void guardsRequests(byte[] input) {
		PeerErrors peerErrors = new PeerErrors("fuzzed http listener");
		Application application = new Application();
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.config().setAllocator(allocator);
		StampProperties.Http properties = new StampProperties.Http();
		properties.setMaxHeaderSize(DataSize.ofBytes(MAX_HEADER_SIZE));
		HttpRequestDecoderFuzzTests.stampHttpPipeline(channel.pipeline(), properties);
		HttpRequestGuard.install(channel.pipeline(), new HttpRequestLimits(null, null), peerErrors);
		channel.pipeline().addLast(application);
		StringBuilder output = new StringBuilder();
		try {
			for (int offset = 0; offset < input.length && channel.isOpen(); offset += 7) {
				int length = Math.min(7, input.length - offset);
				channel.writeInbound(allocator.heapBuffer().writeBytes(input, offset, length));
				drainOutbound(channel, output);
			}
			channel.runPendingTasks();
			drainOutbound(channel, output);
		}
		finally {
			channel.finishAndReleaseAll();
		}
		checkResponses(output.toString(), application, peerErrors);
		assertThat(allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

	private static void checkResponses(String output, Application application, PeerErrors peerErrors) {
		List<Integer> statuses = new ArrayList<>();
		Matcher status = STATUS_LINE.matcher(output);
		while (status.find()) {
			statuses.add(Integer.parseInt(status.group(1)));
		}
		long refusals = statuses.stream().filter((code) -> code >= 400).count();
		assertThat(refusals).as("refusals in %s", statuses).isLessThanOrEqualTo(1);
		if (refusals == 1) {
			assertThat(statuses.get(statuses.size() - 1)).as("the refusal is the last response")
				.isGreaterThanOrEqualTo(400);
			assertThat(output).containsIgnoringCase("connection: close");
			assertThat(peerErrors.total()).as("refusal counted").isOne();
			assertThat(application.requestsAfterRefusal).isZero();
		}
		assertThat(statuses.stream().filter((code) -> code == 200).count()).as("answers to the application's requests")
			.isLessThanOrEqualTo(application.requests);
	}

	private static void drainOutbound(EmbeddedChannel channel, StringBuilder output) {
		for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
			if (message instanceof ByteBuf bytes) {
				output.append(bytes.toString(StandardCharsets.ISO_8859_1));
			}
			ReferenceCountUtil.release(message);
		}
	}

	/**
	 * Stands for Reactor Netty and the route: checks each request and answers it 200 at
	 * its end.
	 */
	private static final class Application extends ChannelInboundHandlerAdapter {

		int requests;

		int requestsAfterRefusal;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (msg instanceof HttpRequest request) {
					checkRequest(ctx, request);
				}
				if (msg instanceof LastHttpContent && ctx.channel().isActive()) {
					FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
					ok.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
					ctx.writeAndFlush(ok);
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		private void checkRequest(ChannelHandlerContext ctx, HttpRequest request) {
			this.requests++;
			if (HttpRequestGuard.hasAnswered(ctx.channel())) {
				this.requestsAfterRefusal++;
			}
			assertThat(request.decoderResult().isSuccess()).as("only well-formed requests pass").isTrue();
			HttpHeaders headers = request.headers();
			List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
			if (!codings.isEmpty()) {
				assertThat(codings).as("Transfer-Encoding").hasSize(1);
				assertThat(codings.get(0).trim()).isEqualToIgnoringCase("chunked");
				assertThat(headers.contains(HttpHeaderNames.CONTENT_LENGTH)).as("Content-Length next to chunked")
					.isFalse();
			}
			assertThat(headers.getAll(HttpHeaderNames.CONTENT_LENGTH)).hasSizeLessThanOrEqualTo(1);
			if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
				assertThat(headers.getAll(HttpHeaderNames.HOST)).as("Host").hasSize(1);
			}
			// Absolute-form targets reach routes in origin form; nothing else but "*"
			// passes.
			assertThat(request.uri()).as("routed by path").matches("/\\S*|\\*");
		}

	}

}
