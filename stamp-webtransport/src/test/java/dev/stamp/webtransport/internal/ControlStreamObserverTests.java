package dev.stamp.webtransport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http3.DefaultHttp3GoAwayFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.DefaultHttp3UnknownFrame;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.QuicStreamType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.protocol.Dialect;
import dev.stamp.webtransport.protocol.WebTransportSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ControlStreamObserver} at the end of the peer's control stream (an
 * {@link EmbeddedQuicStream}; Netty's codec in front of it has already decoded the
 * frames): SETTINGS tell the peer's WebTransport dialect, GOAWAY (RFC 9114, 5.2) drains
 * the connection's sessions, and every frame ends here, released.
 */
class ControlStreamObserverTests {

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	/**
	 * Stream 3: the client's first unidirectional stream, where its control stream goes.
	 */
	private final EmbeddedQuicStream controlStream = EmbeddedQuicStream.peerOpened(3, QuicStreamType.UNIDIRECTIONAL,
			UnpooledByteBufAllocator.DEFAULT, (connection) -> new ConnectionState(connection, true,
					EngineLimits.defaults(), this.stats, ConnectionState.newRefusalLogs()));

	private final ConnectionState state = ConnectionState.of(this.controlStream.parent());

	ControlStreamObserverTests() {
		this.controlStream.pipeline().addLast(ControlStreamObserver.INSTANCE);
	}

	@AfterEach
	void finish() {
		assertThat(this.controlStream.finishAndReleaseAll()).as("nothing passed the observer").isFalse();
	}

	@Test
	void settingsWithEnableWebTransportAnnounceDraft02() {
		assertThat(this.controlStream.writeInbound(settings(WebTransportSettings.ENABLE_WEBTRANSPORT_DRAFT02)))
			.isFalse();
		assertThat(this.state.peerDialect()).isEqualTo(Dialect.DRAFT_02);
	}

	@Test
	void settingsWithWtMaxSessionsAnnounceTheLatestDrafts() {
		this.controlStream.writeInbound(settings(WebTransportSettings.WT_MAX_SESSIONS));
		assertThat(this.state.peerDialect()).isEqualTo(Dialect.LATEST);
	}

	@Test
	void settingsWithWtEnabledAnnounceTheLatestDrafts() {
		this.controlStream.writeInbound(settings(WebTransportSettings.WT_ENABLED));
		assertThat(this.state.peerDialect()).isEqualTo(Dialect.LATEST);
	}

	@Test
	void settingsWithoutWebTransportLeaveTheDialectUnknown() {
		this.controlStream.writeInbound(new DefaultHttp3SettingsFrame(Http3Settings.defaultSettings()));
		assertThat(this.state.peerDialect()).isEqualTo(Dialect.UNKNOWN);
	}

	@Test
	void goAwayDrainsEverySession() {
		SessionImpl first = this.controlStream.sibling(0, QuicStreamType.BIDIRECTIONAL).acceptAsSession();
		SessionImpl second = this.controlStream.sibling(4, QuicStreamType.BIDIRECTIONAL).acceptAsSession();
		assertThat(first.isDraining()).isFalse();
		this.controlStream.writeInbound(new DefaultHttp3GoAwayFrame(8));
		assertThat(first.isDraining()).isTrue();
		assertThat(second.isDraining()).isTrue();
		assertThat(first.isOpen()).as("drained, not closed").isTrue();
	}

	@Test
	void otherFramesAreReleasedAndGoNoFurther() {
		ByteBuf payload = Unpooled.buffer().writeZero(6);
		// A reserved frame type (0x1f * N + 0x21), which RFC 9114 (7.2.8) says to ignore.
		assertThat(this.controlStream.writeInbound(new DefaultHttp3UnknownFrame(0x1f * 2 + 0x21, payload))).isFalse();
		assertThat(payload.refCnt()).isZero();
		assertThat(this.state.peerDialect()).isEqualTo(Dialect.UNKNOWN);
	}

	@Test
	void theSharedObserverKeepsEachConnectionsStateApart() {
		EmbeddedQuicStream otherConnection = EmbeddedQuicStream.peerOpened(3, QuicStreamType.UNIDIRECTIONAL,
				UnpooledByteBufAllocator.DEFAULT, (connection) -> new ConnectionState(connection, true,
						EngineLimits.defaults(), this.stats, ConnectionState.newRefusalLogs()));
		otherConnection.pipeline().addLast(ControlStreamObserver.INSTANCE);
		otherConnection.writeInbound(settings(WebTransportSettings.WT_ENABLED));
		assertThat(ConnectionState.of(otherConnection.parent()).peerDialect()).isEqualTo(Dialect.LATEST);
		assertThat(this.state.peerDialect()).as("the other connection's SETTINGS").isEqualTo(Dialect.UNKNOWN);
		assertThat(otherConnection.finishAndReleaseAll()).isFalse();
	}

	@Test
	void takesTheCriticalStreamErrorHandlerOutOfTheControlStream() {
		EmbeddedQuicStream stream = this.controlStream.sibling(7, QuicStreamType.UNIDIRECTIONAL);
		stream.pipeline().addLast(CriticalStreamErrorHandler.INSTANCE);
		stream.pipeline().addLast(ControlStreamObserver.INSTANCE);
		assertThat(stream.pipeline().context(CriticalStreamErrorHandler.INSTANCE)).isNull();
		assertThat(stream.pipeline().context(ControlStreamObserver.INSTANCE)).isNotNull();
		assertThat(stream.finishAndReleaseAll()).isFalse();
	}

	private static DefaultHttp3SettingsFrame settings(long webTransportSetting) {
		Http3Settings settings = new Http3Settings(WebTransportSettings.VALIDATOR);
		settings.enableConnectProtocol(true);
		settings.put(webTransportSetting, 1L);
		return new DefaultHttp3SettingsFrame(settings);
	}

}
