package dev.stamp.webtransport.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.protocol.HttpDatagrams;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DatagramHandler} on an {@link EmbeddedQuicConnection} carrying a server's
 * {@link ConnectionState}: every datagram it receives ends with it (released), whether
 * dropped or kept as a copy for a session still to come.
 */
class DatagramHandlerTests {

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	private final EmbeddedQuicConnection connection = new EmbeddedQuicConnection(DatagramHandler.INSTANCE);

	private final ConnectionState state = new ConnectionState(this.connection, true, EngineLimits.defaults(),
			this.stats, ConnectionState.newRefusalLogs());

	DatagramHandlerTests() {
		this.connection.attr(ConnectionState.KEY).set(this.state);
	}

	@AfterEach
	void finish() {
		assertThat(this.connection.finishAndReleaseAll()).isFalse();
	}

	@Test
	void datagramForASessionStillToComeIsCopiedAndReleased() {
		ByteBuf datagram = datagram(4, "early");
		assertThat(this.connection.writeInbound(datagram)).isFalse();
		assertThat(datagram.refCnt()).isZero();
		assertThat(this.state.debugState()).containsEntry("pendingDatagrams", 1).containsEntry("pendingBytes", 5);
	}

	@Test
	void datagramForASessionThatCannotComeIsDroppedAndReleased() {
		this.state.requestStreamOpened(8);
		ByteBuf datagram = datagram(4, "older than the newest CONNECT, and not one");
		assertThat(this.connection.writeInbound(datagram)).isFalse();
		assertThat(datagram.refCnt()).isZero();
		assertThat(this.stats.refusals(EngineStats.DATAGRAM_UNKNOWN_SESSION)).isOne();
		assertThat(this.state.debugState()).containsEntry("pendingDatagrams", 0);
	}

	@Test
	void datagramsForAConnectThatDidNotBecomeASessionAreDropped() {
		this.state.requestStreamOpened(8);
		this.connection.writeInbound(datagram(8, "early"));
		this.state.requestStreamDone(8);
		assertThat(this.stats.refusals(EngineStats.DATAGRAM_UNKNOWN_SESSION)).isOne();
		assertThat(this.state.debugState()).containsEntry("pendingDatagrams", 0).containsEntry("pendingBytes", 0);
	}

	@Test
	void datagramWithoutASessionPrefixIsAPeerErrorAndReleased() {
		ByteBuf datagram = Unpooled.buffer(1).writeByte(0x40); // a 2-byte varint cut off
		assertThat(this.connection.writeInbound(datagram)).isFalse();
		assertThat(datagram.refCnt()).isZero();
		assertThat(this.stats.peerErrors().count(EngineStats.DATAGRAM_MALFORMED)).isOne();
	}

	@Test
	void datagramsBeyondThePendingBoundAreDroppedAndReleased() {
		int bound = EngineLimits.defaults().maxPendingDatagrams();
		for (int i = 0; i < bound; i++) {
			this.connection.writeInbound(datagram(4, "x"));
		}
		ByteBuf overflow = datagram(4, "one too many");
		this.connection.writeInbound(overflow);
		assertThat(overflow.refCnt()).isZero();
		assertThat(this.stats.refusals(EngineStats.PENDING_DATAGRAM_OVERFLOW)).isOne();
		assertThat(this.state.debugState()).containsEntry("pendingDatagrams", bound);
	}

	@Test
	void datagramExtensionEventSetsThePeersLimit() {
		this.connection.pipeline().fireUserEventTriggered(EmbeddedQuicConnection.datagramEvent(1200));
		assertThat(this.state.maxDatagramFrameSize()).isEqualTo(1200);
	}

	@Test
	void otherMessagesPassOn() {
		String message = "not a datagram";
		assertThat(this.connection.writeInbound(message)).isTrue();
		Object read = this.connection.readInbound();
		assertThat(read).isSameAs(message);
	}

	@Test
	void closedConnectionDropsWhatWaits() {
		this.connection.writeInbound(datagram(4, "early"));
		this.connection.close();
		Map<String, Object> debug = this.state.debugState();
		assertThat(debug).containsEntry("pendingDatagrams", 0).containsEntry("pendingBytes", 0);
	}

	private static ByteBuf datagram(long sessionId, String payload) {
		return HttpDatagrams.encode(UnpooledByteBufAllocator.DEFAULT, sessionId,
				payload.getBytes(StandardCharsets.US_ASCII));
	}

}
