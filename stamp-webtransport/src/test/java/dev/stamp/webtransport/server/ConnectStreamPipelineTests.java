package dev.stamp.webtransport.server;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.stamp.webtransport.SessionCloseInfo;
import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.internal.SessionImpl;
import dev.stamp.webtransport.support.EngineTestBase;
import dev.stamp.webtransport.support.TestEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CONNECT stream of an accepted session keeps only what it still needs: Netty's frame
 * codec and inbound state check, the decoder guard and the session's handler; and
 * capsules still flow both ways through it.
 */
class ConnectStreamPipelineTests extends EngineTestBase {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void acceptedConnectStreamDropsNettysMessageValidatorsAndStillCarriesCapsules() throws Exception {
		Sinks.One<WebTransportSession> accepted = Sinks.one();
		this.endpoints = TestEndpoints
			.start((request) -> CompletableFuture.completedFuture(SessionDecision.accept((session) -> {
				accepted.tryEmitValue(session);
				return Mono.never();
			})));
		WebTransportSession client = this.endpoints.client.connect(this.endpoints.url("/pipeline")).block(TIMEOUT);
		WebTransportSession server = accepted.asMono().block(TIMEOUT);
		QuicStreamChannel connect = connectStream((SessionImpl) server);
		List<String> handlers = connect.eventLoop()
			.submit(() -> connect.pipeline()
				.toMap()
				.values()
				.stream()
				.map(ChannelHandler::getClass)
				.map(Class::getName)
				.toList())
			.get();
		assertThat(handlers)
			.contains("io.netty.handler.codec.http3.Http3FrameCodec",
					"io.netty.handler.codec.http3.Http3RequestStreamDecodeStateValidator",
					ConnectRequestHandler.class.getName())
			.doesNotContainAnyElementsOf(ConnectRequestHandler.DROPPED_AFTER_ACCEPT);
		for (String dropped : ConnectRequestHandler.DROPPED_AFTER_ACCEPT) {
			// A Netty upgrade that renames them would make the trim a silent no-op.
			assertThat(Class.forName(dropped)).isNotNull();
		}
		client.close(7, "bye").block(TIMEOUT);
		SessionCloseInfo closed = server.closeSignal().block(TIMEOUT);
		assertThat(closed.code()).isEqualTo(7);
		assertThat(closed.reason()).isEqualTo("bye");
	}

	private static QuicStreamChannel connectStream(SessionImpl session) throws ReflectiveOperationException {
		Field field = SessionImpl.class.getDeclaredField("connectStream");
		field.setAccessible(true);
		return (QuicStreamChannel) field.get(session);
	}

}
