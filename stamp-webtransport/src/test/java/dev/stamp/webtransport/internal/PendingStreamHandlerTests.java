package dev.stamp.webtransport.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PendingStreamHandler} holding a peer's unidirectional {@link EmbeddedQuicStream}
 * whose header named session 4 before that session was known (draft-ietf-webtrans-http3
 * 4.6, "Buffering Incoming Streams and Datagrams"): it owns the bytes it holds until it
 * hands them over in order, FIN last, when the session arrives, or releases them when the
 * stream is refused with WT_BUFFERED_STREAM_REJECTED or goes away.
 * {@link EarlyDataBufferTests} covers the connection's budget around it.
 */
class PendingStreamHandlerTests {

	private static final long SESSION = 4;

	private static final String BUFFERED_STREAM_REJECTED = "stop:0x"
			+ Long.toHexString(Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);

	private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	private EmbeddedQuicStream stream;

	private @Nullable EmbeddedQuicStream connectStream;

	private ConnectionState state;

	private PendingStreamHandler pending;

	@AfterEach
	void finish() {
		assertThat(this.stream.finishAndReleaseAll()).isFalse();
		if (this.connectStream != null) {
			assertThat(this.connectStream.finishAndReleaseAll()).isFalse();
		}
		assertThat(this.allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

	@Test
	void waitingStreamHoldsItsBytesAndStopsReading() {
		open(EngineLimits.defaults());
		ByteBuf data = ascii("early");
		assertThat(this.stream.writeInbound(data)).isFalse();
		assertThat(data.refCnt()).as("held").isOne();
		assertThat(this.pending.bufferedBytes()).isEqualTo(5);
		assertThat(this.stream.config().isAutoRead()).as("QUIC flow control holds the rest back").isFalse();
	}

	@Test
	void bytesAreHandedOverInOrderWhenTheSessionArrives() {
		open(EngineLimits.defaults());
		ByteBuf first = ascii("one,");
		ByteBuf second = ascii("two");
		this.stream.writeInbound(first, second);
		SessionImpl session = session();
		assertThat(this.stream.pipeline().get(PendingStreamHandler.class)).isNull();
		assertThat(this.stream.pipeline().last()).isInstanceOf(StreamHandler.class);
		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
		assertThat(this.pending.bufferedBytes()).isZero();
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 0).containsEntry("pendingBytes", 0);
		RecordingReceiver receiver = RecordingReceiver.subscribe(accepted(session));
		assertThat(receiver.chunks).containsExactly("one,", "two");
		assertThat(receiver.completed()).isFalse();
	}

	@Test
	void finWhileWaitingIsHandedOverAfterTheBytes() {
		open(EngineLimits.defaults());
		this.stream.writeInbound(ascii("all there is"));
		this.stream.fin();
		assertThat(this.stream.isOpen()).isTrue();
		RecordingReceiver receiver = RecordingReceiver.subscribe(accepted(session()));
		assertThat(receiver.text()).isEqualTo("all there is");
		assertThat(receiver.completed()).isTrue();
	}

	@Test
	void bytesReadDuringTheHandOverQueueBehindTheHeldOnes() {
		open(EngineLimits.defaults());
		// Netty QUIC may deliver data from inside the read the new stream handler asks
		// for.
		this.stream.pipeline().addFirst(new DeliversOnRead(ascii("three")));
		this.stream.writeInbound(ascii("one,"), ascii("two,"));
		RecordingReceiver receiver = RecordingReceiver.subscribe(accepted(session()));
		assertThat(receiver.text()).isEqualTo("one,two,three");
		assertThat(this.stream.pipeline().get(PendingStreamHandler.class)).isNull();
	}

	@Test
	void sessionThatRefusesTheStreamGetsNoneOfItsBytes() {
		open(new EngineLimits(0, 16, 64 * 1024, 32, Duration.ofSeconds(2), 256, 65_535));
		ByteBuf data = ascii("over the per-session stream limit");
		this.stream.writeInbound(data);
		SessionImpl session = session();
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns)
			.containsExactly("stop:0x" + Integer.toHexString(Http3ErrorCodes.H3_REQUEST_REJECTED));
		assertThat(this.stats.refusals(EngineStats.MAX_STREAMS_PER_SESSION)).isOne();
		assertThat(session.hasStreams()).isFalse();
	}

	@Test
	void refusedStreamReleasesItsBytesAndIsNotHandedOverLater() {
		open(EngineLimits.defaults());
		this.state.requestStreamOpened(SESSION);
		ByteBuf data = ascii("refused");
		this.stream.writeInbound(data);
		// The CONNECT on stream 4 was rejected: its session will not come about.
		this.state.requestStreamDone(SESSION);
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 0).containsEntry("pendingBytes", 0);
		SessionImpl session = session();
		this.pending.promote(session);
		assertThat(session.hasStreams()).isFalse();
		assertThat(this.stream.shutdowns).as("refused once").hasSize(1);
	}

	@Test
	void refusingTheStreamGivesItsBytesBackToTheBudgetOnce() {
		open(EngineLimits.defaults());
		ByteBuf data = ascii("given back");
		this.stream.writeInbound(data);
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 1).containsEntry("pendingBytes", 10);
		this.pending.refuse(Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 0).containsEntry("pendingBytes", 0);
		// Again, and the stream's close after it: nothing is given back twice.
		this.pending.refuse(Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);
		this.stream.runPendingTasks();
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).as("refused once").hasSize(1);
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 0).containsEntry("pendingBytes", 0);
	}

	@Test
	void bytesArrivingAfterAnOverflowAreReleased() {
		open(new EngineLimits(100, 16, 8, 32, Duration.ofSeconds(2), 256, 65_535));
		ByteBuf overflow = ascii("nine bytes");
		ByteBuf after = ascii("more");
		// In one read: the second buffer reaches the handler after it refused the stream.
		this.stream.writeInbound(overflow, after);
		assertThat(overflow.refCnt()).isZero();
		assertThat(after.refCnt()).isZero();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.stats.refusals(EngineStats.PENDING_STREAM_OVERFLOW)).isOne();
	}

	@Test
	void streamWhoseSessionDoesNotComeInTimeIsRefused() {
		open(new EngineLimits(100, 16, 64 * 1024, 32, Duration.ZERO, 256, 65_535));
		ByteBuf data = ascii("too late");
		this.stream.writeInbound(data);
		// The sweep runs every 10 ms of the event loop's clock; the deadline has passed.
		this.stream.advanceTimeBy(10, TimeUnit.MILLISECONDS);
		this.stream.runScheduledPendingTasks();
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.stats.refusals(EngineStats.PENDING_STREAM_EXPIRED)).isOne();
	}

	@Test
	void otherMessagesAreReleasedAndNotCounted() {
		open(EngineLimits.defaults());
		ByteBuf held = ascii("in a holder");
		assertThat(this.stream.writeInbound(new DefaultByteBufHolder(held))).isFalse();
		assertThat(held.refCnt()).isZero();
		assertThat(this.pending.bufferedBytes()).isZero();
	}

	@Test
	void otherUserEventsAreReleasedAndDoNotEndTheInput() {
		open(EngineLimits.defaults());
		ByteBuf content = ascii("event");
		this.stream.pipeline().fireUserEventTriggered(new DefaultByteBufHolder(content));
		assertThat(content.refCnt()).isZero();
		RecordingReceiver receiver = RecordingReceiver.subscribe(accepted(session()));
		assertThat(receiver.completed()).isFalse();
	}

	@Test
	void exceptionWhileWaitingReleasesTheBytesAndClosesTheStream() {
		open(EngineLimits.defaults());
		ByteBuf data = ascii("doomed");
		this.stream.writeInbound(data);
		this.stream.pipeline().fireExceptionCaught(new IllegalStateException("broken"));
		this.stream.checkException();
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 0).containsEntry("pendingBytes", 0);
	}

	/** A client's unidirectional stream routed to wait for {@link #SESSION}. */
	private void open(EngineLimits limits) {
		this.stream = EmbeddedQuicStream.peerOpened(2, QuicStreamType.UNIDIRECTIONAL, this.allocator,
				(connection) -> new ConnectionState(connection, true, limits, this.stats,
						ConnectionState.newRefusalLogs()));
		this.state = ConnectionState.of(this.stream.parent());
		this.state.routePeerStream(this.stream, SESSION);
		this.pending = this.stream.pipeline().get(PendingStreamHandler.class);
		assertThat(this.pending.sessionId()).isEqualTo(SESSION);
	}

	private SessionImpl session() {
		this.connectStream = this.stream.sibling(SESSION, QuicStreamType.BIDIRECTIONAL);
		return this.connectStream.acceptAsSession();
	}

	private static WebTransportStream accepted(SessionImpl session) {
		return session.acceptedUniStreams().blockFirst(Duration.ofSeconds(5));
	}

	private ByteBuf ascii(String text) {
		return this.allocator.heapBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Delivers one buffer from inside the first read asked for, as Netty QUIC does when
	 * data is ready.
	 */
	private static final class DeliversOnRead extends ChannelOutboundHandlerAdapter {

		private @Nullable ByteBuf data;

		DeliversOnRead(ByteBuf data) {
			this.data = data;
		}

		@Override
		public void read(ChannelHandlerContext ctx) {
			ByteBuf delivered = this.data;
			this.data = null;
			if (delivered != null) {
				ctx.fireChannelRead(delivered);
			}
			ctx.read();
		}

	}

}
