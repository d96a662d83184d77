package dev.stamp.webtransport.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

	@RegisterExtension
	final PeerStreamFixture fixture = new PeerStreamFixture();

	private EmbeddedQuicStream stream;

	private PendingStreamHandler pending;

	@Test
	void waitingStreamHoldsItsBytesAndStopsReading() {
		open(EngineLimits.defaults());
		ByteBuf data = this.fixture.buffer("early");
		assertThat(this.stream.writeInbound(data)).isFalse();
		assertThat(data.refCnt()).as("held").isOne();
		assertThat(this.pending.bufferedBytes()).isEqualTo(5);
		assertThat(this.stream.config().isAutoRead()).as("QUIC flow control holds the rest back").isFalse();
	}

	@Test
	void bytesAreHandedOverInOrderWhenTheSessionArrives() {
		open(EngineLimits.defaults());
		ByteBuf first = this.fixture.buffer("one,");
		ByteBuf second = this.fixture.buffer("two");
		this.stream.writeInbound(first, second);
		SessionImpl session = this.fixture.session(SESSION);
		assertThat(this.stream.pipeline().get(PendingStreamHandler.class)).isNull();
		assertThat(this.stream.pipeline().last()).isInstanceOf(StreamHandler.class);
		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
		assertThat(this.pending.bufferedBytes()).isZero();
		assertThat(this.fixture.state().debugState()).containsEntry("pendingStreams", 0)
			.containsEntry("pendingBytes", 0);
		RecordingReceiver receiver = RecordingReceiver.subscribe(PeerStreamFixture.acceptedUni(session));
		assertThat(receiver.chunks).containsExactly("one,", "two");
		assertThat(receiver.completed()).isFalse();
	}

	@Test
	void finWhileWaitingIsHandedOverAfterTheBytes() {
		open(EngineLimits.defaults());
		this.stream.writeInbound(this.fixture.buffer("all there is"));
		this.stream.fin();
		assertThat(this.stream.isOpen()).isTrue();
		RecordingReceiver receiver = RecordingReceiver
			.subscribe(PeerStreamFixture.acceptedUni(this.fixture.session(SESSION)));
		assertThat(receiver.text()).isEqualTo("all there is");
		assertThat(receiver.completed()).isTrue();
	}

	@Test
	void bytesReadDuringTheHandOverQueueBehindTheHeldOnes() {
		open(EngineLimits.defaults());
		// Netty QUIC may deliver data from inside the read the new stream handler asks
		// for.
		this.stream.pipeline().addFirst(new DeliversOnRead(this.fixture.buffer("three")));
		this.stream.writeInbound(this.fixture.buffer("one,"), this.fixture.buffer("two,"));
		RecordingReceiver receiver = RecordingReceiver
			.subscribe(PeerStreamFixture.acceptedUni(this.fixture.session(SESSION)));
		assertThat(receiver.text()).isEqualTo("one,two,three");
		assertThat(this.stream.pipeline().get(PendingStreamHandler.class)).isNull();
	}

	@Test
	void sessionThatRefusesTheStreamGetsNoneOfItsBytes() {
		open(new EngineLimits(0, 16, 64 * 1024, 32, Duration.ofSeconds(2), 256, 65_535));
		ByteBuf data = this.fixture.buffer("over the per-session stream limit");
		this.stream.writeInbound(data);
		SessionImpl session = this.fixture.session(SESSION);
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns)
			.containsExactly("stop:0x" + Integer.toHexString(Http3ErrorCodes.H3_REQUEST_REJECTED));
		assertThat(this.fixture.stats().refusals(EngineStats.MAX_STREAMS_PER_SESSION)).isOne();
		assertThat(session.hasStreams()).isFalse();
	}

	@Test
	void refusedStreamReleasesItsBytesAndIsNotHandedOverLater() {
		open(EngineLimits.defaults());
		this.fixture.state().requestStreamOpened(SESSION);
		ByteBuf data = this.fixture.buffer("refused");
		this.stream.writeInbound(data);
		// The CONNECT on stream 4 was rejected: its session will not come about.
		this.fixture.state().requestStreamDone(SESSION);
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.fixture.state().debugState()).containsEntry("pendingStreams", 0)
			.containsEntry("pendingBytes", 0);
		SessionImpl session = this.fixture.session(SESSION);
		this.pending.promote(session);
		assertThat(session.hasStreams()).isFalse();
		assertThat(this.stream.shutdowns).as("refused once").hasSize(1);
	}

	@Test
	void refusingTheStreamGivesItsBytesBackToTheBudgetOnce() {
		open(EngineLimits.defaults());
		ByteBuf data = this.fixture.buffer("given back");
		this.stream.writeInbound(data);
		assertThat(this.fixture.state().debugState()).containsEntry("pendingStreams", 1)
			.containsEntry("pendingBytes", 10);
		this.pending.refuse(Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.fixture.state().debugState()).containsEntry("pendingStreams", 0)
			.containsEntry("pendingBytes", 0);
		// Again, and the stream's close after it: nothing is given back twice.
		this.pending.refuse(Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);
		this.stream.runPendingTasks();
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stream.shutdowns).as("refused once").hasSize(1);
		assertThat(this.fixture.state().debugState()).containsEntry("pendingStreams", 0)
			.containsEntry("pendingBytes", 0);
	}

	@Test
	void bytesArrivingAfterAnOverflowAreReleased() {
		open(new EngineLimits(100, 16, 8, 32, Duration.ofSeconds(2), 256, 65_535));
		ByteBuf overflow = this.fixture.buffer("nine bytes");
		ByteBuf after = this.fixture.buffer("more");
		// In one read: the second buffer reaches the handler after it refused the stream.
		this.stream.writeInbound(overflow, after);
		assertThat(overflow.refCnt()).isZero();
		assertThat(after.refCnt()).isZero();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.fixture.stats().refusals(EngineStats.PENDING_STREAM_OVERFLOW)).isOne();
	}

	@Test
	void streamWhoseSessionDoesNotComeInTimeIsRefused() {
		open(new EngineLimits(100, 16, 64 * 1024, 32, Duration.ZERO, 256, 65_535));
		ByteBuf data = this.fixture.buffer("too late");
		this.stream.writeInbound(data);
		// The sweep runs every 10 ms of the event loop's clock; the deadline has passed.
		this.stream.advanceTimeBy(10, TimeUnit.MILLISECONDS);
		this.stream.runScheduledPendingTasks();
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.fixture.stats().refusals(EngineStats.PENDING_STREAM_EXPIRED)).isOne();
	}

	@Test
	void otherMessagesAreReleasedAndNotCounted() {
		open(EngineLimits.defaults());
		ByteBuf held = this.fixture.buffer("in a holder");
		assertThat(this.stream.writeInbound(new DefaultByteBufHolder(held))).isFalse();
		assertThat(held.refCnt()).isZero();
		assertThat(this.pending.bufferedBytes()).isZero();
	}

	@Test
	void otherUserEventsAreReleasedAndDoNotEndTheInput() {
		open(EngineLimits.defaults());
		ByteBuf content = this.fixture.buffer("event");
		this.stream.pipeline().fireUserEventTriggered(new DefaultByteBufHolder(content));
		assertThat(content.refCnt()).isZero();
		RecordingReceiver receiver = RecordingReceiver
			.subscribe(PeerStreamFixture.acceptedUni(this.fixture.session(SESSION)));
		assertThat(receiver.completed()).isFalse();
	}

	@Test
	void exceptionWhileWaitingReleasesTheBytesAndClosesTheStream() {
		open(EngineLimits.defaults());
		ByteBuf data = this.fixture.buffer("doomed");
		this.stream.writeInbound(data);
		this.stream.pipeline().fireExceptionCaught(new IllegalStateException("broken"));
		this.stream.checkException();
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.fixture.state().debugState()).containsEntry("pendingStreams", 0)
			.containsEntry("pendingBytes", 0);
	}

	/** A client's unidirectional stream routed to wait for {@link #SESSION}. */
	private void open(EngineLimits limits) {
		this.stream = this.fixture.open(2, QuicStreamType.UNIDIRECTIONAL, true, limits);
		this.fixture.state().routePeerStream(this.stream, SESSION);
		this.pending = this.stream.pipeline().get(PendingStreamHandler.class);
		assertThat(this.pending.sessionId()).isEqualTo(SESSION);
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
