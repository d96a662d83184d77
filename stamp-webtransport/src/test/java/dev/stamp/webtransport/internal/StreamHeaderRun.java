package dev.stamp.webtransport.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.LoggerFactory;

import dev.stamp.core.PeerErrors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds the bytes of one peer-opened stream, split into reads of a given size and ended
 * by FIN, through a stream header decoder sitting in front of a handler that stands for
 * Netty's HTTP/3 request codec, and describes the outcome: where the stream was routed,
 * what was refused and reset, which bytes flowed on.
 */
final class StreamHeaderRun {

	static {
		// Refusals log at WARN and everything at DEBUG: at thousands of inputs a second
		// that is only noise.
		((Logger) LoggerFactory.getLogger("dev.stamp")).setLevel(Level.ERROR);
		((Logger) LoggerFactory.getLogger("dev.stamp.webtransport.internal")).setLevel(Level.ERROR);
	}

	/** Refusal reasons and peer-error kinds a stream header can lead to. */
	private static final String[] OUTCOMES = { EngineStats.MALFORMED_STREAM_HEADER, EngineStats.BAD_SERVER_STREAM,
			EngineStats.UNKNOWN_STREAM_TYPE, EngineStats.STREAM_UNKNOWN_SESSION, EngineStats.PENDING_STREAM_OVERFLOW };

	final EmbeddedQuicStream stream;

	final EngineStats stats = new EngineStats(new PeerErrors("fuzzed stream"));

	/**
	 * Bytes that reached the handler behind the decoder, and the handlers in the pipeline
	 * after the header.
	 */
	final CompositeByteBuf passedOn;

	final List<String> events = new ArrayList<>();

	private StreamHeaderRun(long streamId, QuicStreamType type, boolean server, ByteBufAllocator allocator) {
		this.stream = PeerStreamFixture.peerOpened(streamId, type, server, EngineLimits.defaults(), allocator,
				this.stats);
		this.passedOn = allocator.compositeHeapBuffer(Integer.MAX_VALUE);
	}

	/**
	 * Runs {@code input} through {@code decoder}, {@code chunkSize} bytes per read, then
	 * FIN and close.
	 * @return the run, whose {@link #release()} the caller must call
	 */
	static StreamHeaderRun run(long streamId, QuicStreamType type, boolean server, ByteBufAllocator allocator,
			Supplier<ChannelHandler> decoder, byte[] input, int chunkSize) {
		StreamHeaderRun run = new StreamHeaderRun(streamId, type, server, allocator);
		EmbeddedQuicStream stream = run.stream;
		stream.pipeline().addLast("decoder", decoder.get());
		if (type == QuicStreamType.BIDIRECTIONAL) {
			// Netty installs the unidirectional decoder last, but the bidirectional
			// sniffer first, before its codec.
			stream.pipeline().addLast("request-codec", run.new RequestCodecStandIn());
		}
		for (int offset = 0; offset < input.length && stream.isActive(); offset += chunkSize) {
			int length = Math.min(chunkSize, input.length - offset);
			stream.writeInbound(allocator.heapBuffer().writeBytes(input, offset, length));
		}
		run.events.add("after-bytes " + stream.pipeline().names());
		stream.fin();
		run.events.add("after-fin open=" + stream.isOpen() + " " + stream.shutdowns);
		stream.close();
		stream.runPendingTasks();
		stream.checkException();
		for (String reason : OUTCOMES) {
			long count = run.count(reason);
			if (count > 0) {
				run.events.add(reason + "=" + count);
			}
		}
		return run;
	}

	/**
	 * How often the stream was refused for {@code reason} or counted as a peer error of
	 * that kind.
	 */
	long count(String reason) {
		return this.stats.refusals(reason) + this.stats.peerErrors().count(reason);
	}

	/**
	 * Checks that a stream whose header was complete is not counted as malformed, also
	 * when a decoder refused it while routing it and then saw the channel close (found by
	 * this fuzzer, fixed by {@code headerComplete()}).
	 */
	void assertNotMalformed() {
		assertThat(count(EngineStats.MALFORMED_STREAM_HEADER)).as("malformed-stream-header").isZero();
	}

	/** What the stream came to, comparable between runs of the same input. */
	String outcome() {
		return this.events + " passed-on=" + ByteBufUtil.hexDump(this.passedOn);
	}

	void release() {
		this.passedOn.release();
		this.stream.finishAndReleaseAll();
	}

	/** Stands for Netty's HTTP/3 request codec: keeps every byte that reaches it. */
	private final class RequestCodecStandIn extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof ByteBuf data) {
				StreamHeaderRun.this.passedOn.addComponent(true, data);
			}
			else {
				ReferenceCountUtil.release(msg);
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
			ReferenceCountUtil.release(evt);
		}

	}

}
