package dev.stamp.webtransport.internal;

import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.quic.QuicStreamType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer's unidirectional {@link EmbeddedQuicStream} that names a session not known yet
 * waits in its connection's {@link EarlyDataBuffer} behind a
 * {@link PendingStreamHandler}: the bytes it holds are released however the wait ends.
 */
class EarlyDataBufferTests {

	private static final long SESSION = 4;

	private static final String BUFFERED_STREAM_REJECTED = "stop:0x"
			+ Long.toHexString(Http3ErrorCodes.WT_BUFFERED_STREAM_REJECTED);

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	private EmbeddedQuicStream stream;

	private ConnectionState state;

	@AfterEach
	void finish() {
		assertThat(this.stream.finishAndReleaseAll()).isFalse();
	}

	@Test
	void waitingStreamHoldsItsBytesWithoutReadingOn() {
		open(EngineLimits.defaults());
		ByteBuf data = bytes(5);
		assertThat(this.stream.writeInbound(data)).isFalse();
		assertThat(data.refCnt()).isOne();
		assertThat(this.stream.config().isAutoRead()).isFalse();
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 1).containsEntry("pendingBytes", 5);
	}

	@Test
	void closedConnectionReleasesWhatWaitingStreamsHold() {
		open(EngineLimits.defaults());
		ByteBuf data = bytes(5);
		this.stream.writeInbound(data);
		this.state.connectionClosed();
		assertThat(data.refCnt()).isZero();
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 0).containsEntry("pendingBytes", 0);
	}

	@Test
	void streamOverThePendingByteBudgetIsRefusedAndItsBytesReleased() {
		open(new EngineLimits(100, 16, 8, 32, Duration.ofSeconds(2), 256, 65_535));
		ByteBuf first = bytes(5);
		ByteBuf second = bytes(5);
		this.stream.writeInbound(first);
		this.stream.writeInbound(second);
		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.stats.refusals(EngineStats.PENDING_STREAM_OVERFLOW)).isOne();
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 0).containsEntry("pendingBytes", 0);
	}

	@Test
	void streamBeyondThePendingStreamBoundIsRefused() {
		open(new EngineLimits(100, 0, 64 * 1024, 32, Duration.ofSeconds(2), 256, 65_535));
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.stream.isOpen()).isFalse();
		assertThat(this.stats.refusals(EngineStats.PENDING_STREAM_OVERFLOW)).isOne();
	}

	@Test
	void streamOfAConnectThatDidNotBecomeASessionIsRefusedAndItsBytesReleased() {
		open(EngineLimits.defaults());
		this.state.requestStreamOpened(SESSION);
		ByteBuf data = bytes(5);
		this.stream.writeInbound(data);
		this.state.requestStreamDone(SESSION);
		assertThat(data.refCnt()).isZero();
		assertThat(this.stream.shutdowns).containsExactly(BUFFERED_STREAM_REJECTED);
		assertThat(this.stats.refusals(EngineStats.STREAM_UNKNOWN_SESSION)).isOne();
	}

	@Test
	void streamThatClosesWhileWaitingReleasesItsBytes() {
		open(EngineLimits.defaults());
		ByteBuf data = bytes(5);
		this.stream.writeInbound(data);
		this.stream.close();
		assertThat(data.refCnt()).isZero();
		assertThat(this.state.debugState()).containsEntry("pendingStreams", 0).containsEntry("pendingBytes", 0);
	}

	/** A client's unidirectional stream naming {@link #SESSION}, routed by the server. */
	private void open(EngineLimits limits) {
		this.stream = EmbeddedQuicStream.peerOpened(2, QuicStreamType.UNIDIRECTIONAL, UnpooledByteBufAllocator.DEFAULT,
				(connection) -> new ConnectionState(connection, true, limits, this.stats,
						ConnectionState.newRefusalLogs()));
		this.state = ConnectionState.of(this.stream.parent());
		this.state.routePeerStream(this.stream, SESSION);
	}

	private static ByteBuf bytes(int length) {
		return Unpooled.buffer(length).writeZero(length);
	}

}
