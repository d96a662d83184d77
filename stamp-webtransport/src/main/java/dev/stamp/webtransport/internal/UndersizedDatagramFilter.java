package dev.stamp.webtransport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.quic.Quic;

import dev.stamp.core.PeerErrors;

/**
 * First on a server's UDP pipeline: drops, and counts as peer errors, datagrams too short
 * to hold the QUIC header their first byte announces.
 * <p>
 * Netty's {@code QuicCodecDispatcher} (4.2.17) throws on a short-header datagram shorter
 * than a connection id without releasing it: each such datagram would leak its buffer and
 * log a stack trace at the end of the pipeline. Nothing this short can be a packet of a
 * connection of ours, so nothing legitimate is lost.
 */
@ChannelHandler.Sharable
public final class UndersizedDatagramFilter extends ChannelInboundHandlerAdapter {

	/** The header form bit of the first byte: set for long headers. */
	private static final int LONG_HEADER_FORM = 0x80;

	/** First byte, version, destination and source connection id lengths. */
	private static final int MIN_LONG_HEADER = 1 + 4 + 1 + 1;

	/**
	 * First byte and our connection id (Netty's servers issue ids of the longest length).
	 */
	private static final int MIN_SHORT_HEADER = 1 + Quic.MAX_CONN_ID_LEN;

	private final PeerErrors peerErrors;

	public UndersizedDatagramFilter(PeerErrors peerErrors) {
		this.peerErrors = peerErrors;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof DatagramPacket) {
			DatagramPacket packet = (DatagramPacket) msg;
			ByteBuf content = packet.content();
			int length = content.readableBytes();
			if (length < minimumLength(content)) {
				this.peerErrors.record(EngineStats.QUIC_PACKET_MALFORMED, packet.sender(),
						length + "-byte UDP datagram is too short for a QUIC packet; dropped");
				// This handler is the packet's last owner.
				packet.release();
				return;
			}
		}
		ctx.fireChannelRead(msg);
	}

	private static int minimumLength(ByteBuf content) {
		if (!content.isReadable()) {
			return 1;
		}
		boolean longHeader = (content.getByte(content.readerIndex()) & LONG_HEADER_FORM) != 0;
		return longHeader ? MIN_LONG_HEADER : MIN_SHORT_HEADER;
	}

}
