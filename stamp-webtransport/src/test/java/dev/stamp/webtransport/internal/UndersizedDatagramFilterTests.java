package dev.stamp.webtransport.internal;

import java.net.InetSocketAddress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.quic.Quic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.stamp.core.PeerErrors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UndersizedDatagramFilter} alone on an {@link EmbeddedChannel}: what it drops it
 * releases and counts, what it passes on it leaves untouched.
 */
class UndersizedDatagramFilterTests {

	private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 4433);

	private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 50000);

	private final PeerErrors peerErrors = new PeerErrors("test");

	private final EmbeddedChannel channel = new EmbeddedChannel(new UndersizedDatagramFilter(this.peerErrors));

	@AfterEach
	void finish() {
		assertThat(this.channel.finishAndReleaseAll()).isFalse();
	}

	@Test
	void shortHeaderDatagramShorterThanAConnectionIdIsDroppedReleasedAndCounted() {
		ByteBuf content = datagram(0x40, Quic.MAX_CONN_ID_LEN);
		assertThat(this.channel.writeInbound(packet(content))).isFalse();
		assertThat(content.refCnt()).isZero();
		assertThat(this.peerErrors.count(EngineStats.QUIC_PACKET_MALFORMED)).isOne();
	}

	@Test
	void longHeaderDatagramShorterThanItsFixedFieldsIsDropped() {
		ByteBuf content = datagram(0xc0, 6);
		assertThat(this.channel.writeInbound(packet(content))).isFalse();
		assertThat(content.refCnt()).isZero();
		assertThat(this.peerErrors.count(EngineStats.QUIC_PACKET_MALFORMED)).isOne();
	}

	@Test
	void emptyDatagramIsDropped() {
		ByteBuf content = Unpooled.buffer(0);
		assertThat(this.channel.writeInbound(packet(content))).isFalse();
		assertThat(content.refCnt()).isZero();
		assertThat(this.peerErrors.count(EngineStats.QUIC_PACKET_MALFORMED)).isOne();
	}

	@Test
	void datagramsLongEnoughForTheirHeaderPassOnUntouched() {
		DatagramPacket shortHeader = packet(datagram(0x40, 1 + Quic.MAX_CONN_ID_LEN));
		DatagramPacket longHeader = packet(datagram(0xc0, 7));
		assertThat(this.channel.writeInbound(shortHeader, longHeader)).isTrue();
		assertPassedOn(shortHeader);
		assertPassedOn(longHeader);
		assertThat(this.peerErrors.total()).isZero();
	}

	@Test
	void otherMessagesPassOn() {
		ByteBuf notAPacket = datagram(0x40, 1);
		assertThat(this.channel.writeInbound(notAPacket)).isTrue();
		ByteBuf read = this.channel.readInbound();
		assertThat(read).isSameAs(notAPacket);
		assertThat(read.refCnt()).isOne();
		read.release();
		assertThat(this.peerErrors.total()).isZero();
	}

	private void assertPassedOn(DatagramPacket sent) {
		DatagramPacket read = this.channel.readInbound();
		assertThat(read).isSameAs(sent);
		assertThat(read.content().refCnt()).isOne();
		read.release();
	}

	private static ByteBuf datagram(int firstByte, int length) {
		ByteBuf content = Unpooled.buffer(length);
		content.writeByte(firstByte);
		content.writeZero(length - 1);
		return content;
	}

	private static DatagramPacket packet(ByteBuf content) {
		return new DatagramPacket(content, SERVER, PEER);
	}

}
