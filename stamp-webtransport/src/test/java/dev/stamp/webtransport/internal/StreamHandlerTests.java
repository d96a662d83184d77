package dev.stamp.webtransport.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

import dev.stamp.core.PeerErrors;
import dev.stamp.webtransport.WebTransportStreamException;
import dev.stamp.webtransport.protocol.Http3ErrorCodes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StreamHandler} at the end of a WebTransport data stream's pipeline (an
 * {@link EmbeddedQuicStream} of a registered session): it hands bytes, FIN, resets and
 * closure to its {@link StreamImpl}, releases every buffer it gets, and reads only while
 * the stream's receive window has room, so that QUIC flow control holds the peer back.
 */
class StreamHandlerTests {

	private final EngineStats stats = new EngineStats(new PeerErrors("test"));

	/** A client's bidirectional stream, opened in the session of CONNECT stream 0. */
	private final EmbeddedQuicStream channel = EmbeddedQuicStream.peerOpened(4, QuicStreamType.BIDIRECTIONAL,
			UnpooledByteBufAllocator.DEFAULT, (connection) -> new ConnectionState(connection, true,
					EngineLimits.defaults(), this.stats, ConnectionState.newRefusalLogs()));

	private final EmbeddedQuicStream connectStream = this.channel.sibling(0, QuicStreamType.BIDIRECTIONAL);

	private final SessionImpl session = this.connectStream.acceptAsSession();

	private final ReadCounter reads = new ReadCounter();

	StreamHandlerTests() {
		this.channel.pipeline().addFirst(this.reads);
	}

	@AfterEach
	void finish() {
		assertThat(this.channel.finishAndReleaseAll()).as("nothing passed the stream handler").isFalse();
		assertThat(this.connectStream.finishAndReleaseAll()).isFalse();
	}

	@Test
	void installedHandlerTurnsAutoReadOffAndReadsOnceTheCallerReturned() {
		StreamImpl stream = install();
		assertThat(this.channel.config().isAutoRead()).isFalse();
		// Not from inside handlerAdded: a decoder in front may be in its channelRead.
		assertThat(this.reads.count).isZero();
		this.channel.runPendingTasks();
		assertThat(this.reads.count).isOne();
		assertThat(stream.canReceive()).isTrue();
	}

	@Test
	void sendOnlyStreamNeverReads() {
		EmbeddedQuicStream local = EmbeddedQuicStream.locallyOpened(3, QuicStreamType.UNIDIRECTIONAL,
				UnpooledByteBufAllocator.DEFAULT, (connection) -> ConnectionState.of(this.channel.parent()));
		ReadCounter localReads = new ReadCounter();
		local.pipeline().addFirst(localReads);
		StreamImpl stream = new StreamImpl(local, this.session);
		local.pipeline().addLast(new StreamHandler(stream));
		local.runPendingTasks();
		local.pipeline().fireChannelActive();
		assertThat(localReads.count).isZero();
		assertThat(RecordingReceiver.subscribe(stream).error()).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("send-only");
		assertThat(local.finishAndReleaseAll()).isFalse();
	}

	@Test
	void channelActiveReadsAndPassesOn() {
		install();
		this.channel.runPendingTasks();
		ActiveRecorder after = new ActiveRecorder();
		this.channel.pipeline().addLast(after);
		int before = this.reads.count;
		this.channel.pipeline().fireChannelActive();
		assertThat(this.reads.count).isEqualTo(before + 1);
		assertThat(after.active).isTrue();
	}

	@Test
	void dataIsCopiedToTheStreamAndReleased() {
		RecordingReceiver receiver = RecordingReceiver.subscribe(install());
		ByteBuf first = ascii("hello");
		ByteBuf second = ascii(", world");
		assertThat(this.channel.writeInbound(first, second)).isFalse();
		assertThat(first.refCnt()).isZero();
		assertThat(second.refCnt()).isZero();
		assertThat(receiver.chunks).containsExactly("hello", ", world");
	}

	@Test
	void emptyBuffersAndOtherMessagesAreReleasedWithoutReachingTheStream() {
		RecordingReceiver receiver = RecordingReceiver.subscribe(install());
		ByteBuf empty = Unpooled.buffer(0);
		ByteBuf held = ascii("not a ByteBuf");
		assertThat(this.channel.writeInbound(empty, new DefaultByteBufHolder(held))).isFalse();
		assertThat(empty.refCnt()).isZero();
		assertThat(held.refCnt()).isZero();
		assertThat(receiver.chunks).isEmpty();
	}

	@Test
	void readCompleteReadsOnWhileTheReceiveWindowHasRoom() {
		install();
		this.channel.runPendingTasks();
		int before = this.reads.count;
		this.channel.writeInbound(ascii("some"));
		assertThat(this.reads.count).isEqualTo(before + 1);
	}

	@Test
	void fullReceiveWindowPausesReadingUntilTheApplicationTakesData() {
		StreamImpl stream = install();
		this.channel.runPendingTasks();
		int before = this.reads.count;
		ByteBuf window = Unpooled.buffer(StreamImpl.RECEIVE_WINDOW).writeZero(StreamImpl.RECEIVE_WINDOW);
		this.channel.writeInbound(window);
		assertThat(window.refCnt()).isZero();
		assertThat(this.reads.count).as("paused: nobody took the data").isEqualTo(before);
		OneAtATime consumer = new OneAtATime();
		stream.receive().subscribe(consumer);
		assertThat(consumer.received).isEqualTo(StreamImpl.RECEIVE_WINDOW);
		this.channel.runPendingTasks();
		assertThat(this.reads.count).as("resumed").isEqualTo(before + 1);
		consumer.dispose();
	}

	@Test
	void finCompletesTheStreamAfterItsData() {
		RecordingReceiver receiver = RecordingReceiver.subscribe(install());
		this.channel.writeInbound(ascii("last words"));
		assertThat(receiver.completed()).isFalse();
		this.channel.fin();
		assertThat(receiver.completed()).isTrue();
		assertThat(receiver.text()).isEqualTo("last words");
		assertThat(this.channel.isOpen()).as("FIN ends the input only").isTrue();
	}

	@Test
	void inputShutdownReadCompleteAlsoEndsTheInput() {
		RecordingReceiver receiver = RecordingReceiver.subscribe(install());
		this.channel.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
		assertThat(receiver.completed()).isTrue();
	}

	@Test
	void otherUserEventsAreReleasedAndDoNotEndTheInput() {
		RecordingReceiver receiver = RecordingReceiver.subscribe(install());
		ByteBuf content = ascii("event");
		this.channel.pipeline().fireUserEventTriggered(new DefaultByteBufHolder(content));
		assertThat(content.refCnt()).isZero();
		assertThat(receiver.completed()).isFalse();
		assertThat(receiver.error()).isNull();
	}

	@Test
	void peerResetFailsTheInputWithTheApplicationCode() {
		RecordingReceiver receiver = RecordingReceiver.subscribe(install());
		this.channel.pipeline()
			.fireExceptionCaught(new QuicStreamResetException("reset", Http3ErrorCodes.fromApplicationCode(42)));
		this.channel.checkException();
		assertThat(receiver.error()).isInstanceOfSatisfying(WebTransportStreamException.class,
				(ex) -> assertThat(ex.code()).isEqualTo(42));
		assertThat(this.channel.isOpen()).as("the peer only stopped its direction").isTrue();
	}

	@Test
	void peerResetWithAnHttp3CodeHasNoApplicationCode() {
		RecordingReceiver receiver = RecordingReceiver.subscribe(install());
		this.channel.pipeline()
			.fireExceptionCaught(new QuicStreamResetException("reset", Http3ErrorCodes.H3_REQUEST_CANCELLED));
		assertThat(receiver.error()).isInstanceOfSatisfying(WebTransportStreamException.class, (ex) -> {
			assertThat(ex.code()).isEqualTo(-1);
			assertThat(ex).hasMessageContaining("HTTP/3 code 0x10c");
		});
	}

	@Test
	void otherExceptionsCloseTheStream() {
		RecordingReceiver receiver = RecordingReceiver.subscribe(install());
		this.channel.pipeline().fireExceptionCaught(new IllegalStateException("broken"));
		this.channel.checkException();
		assertThat(this.channel.isOpen()).isFalse();
		assertThat(receiver.error()).isInstanceOfSatisfying(WebTransportStreamException.class,
				(ex) -> assertThat(ex).hasMessageContaining("closed"));
	}

	@Test
	void closedStreamLeavesItsSession() {
		assertThat(this.session.attachPeerStream(this.channel)).isTrue();
		assertThat(this.channel.pipeline().last()).isInstanceOf(StreamHandler.class);
		assertThat(this.session.hasStreams()).isTrue();
		this.channel.close();
		assertThat(this.session.hasStreams()).isFalse();
	}

	@Test
	void closeAfterFinSignalsCloseWithoutFailingTheInput() {
		StreamImpl stream = install();
		RecordingReceiver receiver = RecordingReceiver.subscribe(stream);
		boolean[] closed = new boolean[1];
		stream.closeSignal().subscribe(null, null, () -> closed[0] = true);
		this.channel.fin();
		this.channel.close();
		assertThat(closed[0]).isTrue();
		assertThat(receiver.completed()).isTrue();
		assertThat(receiver.error()).isNull();
	}

	private StreamImpl install() {
		StreamImpl stream = new StreamImpl(this.channel, this.session);
		this.channel.pipeline().addLast(new StreamHandler(stream));
		return stream;
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
	}

	/** Counts the reads asked of the channel (Netty QUIC would then read the stream). */
	private static final class ReadCounter extends ChannelOutboundHandlerAdapter {

		int count;

		@Override
		public void read(ChannelHandlerContext ctx) {
			this.count++;
			ctx.read();
		}

	}

	/** Records that channelActive got past the stream handler. */
	private static final class ActiveRecorder extends ChannelInboundHandlerAdapter {

		boolean active;

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.active = true;
		}

	}

	/** Takes one chunk at a time and counts the bytes. */
	private static final class OneAtATime extends BaseSubscriber<byte[]> {

		int received;

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			request(1);
		}

		@Override
		protected void hookOnNext(byte[] value) {
			this.received += value.length;
		}

	}

}
