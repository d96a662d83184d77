package dev.stamp.webtransport.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.quic.QuicStreamType;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.WebTransportStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test's peer-opened {@link EmbeddedQuicStream}s, each on a connection of its own
 * with a {@link ConnectionState}, their sessions' CONNECT streams, and the allocator
 * their bytes come from. Registered as an extension (one per test), it checks after each
 * test that nothing reached the end of a pipeline and that every byte was released.
 */
final class PeerStreamFixture implements AfterEachCallback {

	private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	/** Every channel opened, finished after the test. */
	private final List<EmbeddedQuicStream> channels = new ArrayList<>();

	private EmbeddedQuicStream stream;

	/**
	 * A peer-opened stream of a new connection whose WebTransport state counts into
	 * {@code stats}.
	 * @param streamId the stream's id
	 * @param type the stream's type
	 * @param server whether this side of the connection is the server
	 * @param limits the connection's limits
	 * @param allocator where the stream's buffers come from
	 * @param stats where refusals and peer errors are counted
	 * @return the stream
	 */
	static EmbeddedQuicStream peerOpened(long streamId, QuicStreamType type, boolean server, EngineLimits limits,
			ByteBufAllocator allocator, EngineStats stats) {
		return EmbeddedQuicStream.peerOpened(streamId, type, allocator, (connection) -> new ConnectionState(connection,
				server, limits, stats, ConnectionState.newRefusalLogs()));
	}

	/**
	 * Opens a peer's stream on a new connection; it is the stream the other methods act
	 * on.
	 * @param streamId the stream's id
	 * @param type the stream's type
	 * @param server whether this side of the connection is the server
	 * @param limits the connection's limits
	 * @return the stream
	 */
	EmbeddedQuicStream open(long streamId, QuicStreamType type, boolean server, EngineLimits limits) {
		this.stream = peerOpened(streamId, type, server, limits, this.allocator, this.stats);
		this.channels.add(this.stream);
		return this.stream;
	}

	/**
	 * The WebTransport state of the connection of the stream last opened.
	 * @return the connection's state
	 */
	ConnectionState state() {
		return ConnectionState.of(this.stream.parent());
	}

	/**
	 * What the connections count.
	 * @return the stats
	 */
	EngineStats stats() {
		return this.stats;
	}

	/**
	 * Accepts a session whose CONNECT stream is {@code sessionId}, on the connection of
	 * the stream last opened.
	 * @param sessionId the session's id
	 * @return the session
	 */
	SessionImpl session(long sessionId) {
		EmbeddedQuicStream connectStream = this.stream.sibling(sessionId, QuicStreamType.BIDIRECTIONAL);
		this.channels.add(connectStream);
		return connectStream.acceptAsSession();
	}

	/**
	 * Reads {@code hex} in on the stream last opened, in one buffer.
	 * @param hex the bytes, in hex
	 */
	void write(String hex) {
		this.stream.writeInbound(this.allocator.heapBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex)));
	}

	/**
	 * A buffer of the fixture's allocator holding {@code text}.
	 * @param text the buffer's content, US-ASCII
	 * @return the buffer
	 */
	ByteBuf buffer(String text) {
		return this.allocator.heapBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * {@code text} in hex, for {@link #write(String)}.
	 * @param text US-ASCII text
	 * @return its bytes in hex
	 */
	static String ascii(String text) {
		return ByteBufUtil.hexDump(text.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * The first unidirectional stream {@code session} accepts.
	 * @param session the session
	 * @return the stream
	 */
	static WebTransportStream acceptedUni(SessionImpl session) {
		return session.acceptedUniStreams().blockFirst(Duration.ofSeconds(5));
	}

	/**
	 * The first bidirectional stream {@code session} accepts.
	 * @param session the session
	 * @return the stream
	 */
	static WebTransportStream acceptedBidi(SessionImpl session) {
		return session.acceptedBidiStreams().blockFirst(Duration.ofSeconds(5));
	}

	/**
	 * Finishes every channel opened; fails if anything reached the end of a pipeline or a
	 * byte is still allocated.
	 * @param context the test's context
	 */
	@Override
	public void afterEach(ExtensionContext context) {
		for (EmbeddedQuicStream channel : this.channels) {
			assertThat(channel.finishAndReleaseAll()).as("nothing reached the end of the pipeline").isFalse();
		}
		assertThat(this.allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

}
