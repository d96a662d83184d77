package dev.stamp.webtransport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;

/**
 * Receives QUIC DATAGRAMs on the QUIC channel and hands them to the connection's
 * sessions; learns the peer's datagram limit from Netty's
 * {@link QuicDatagramExtensionEvent}; tells the connection's state when the connection
 * closed. Engines use it as {@link PeerStreamInterceptor}, which adds the interception of
 * peer streams, so that a connection's pipeline has one handler for both.
 */
@ChannelHandler.Sharable
public class DatagramHandler extends ChannelInboundHandlerAdapter {

	/** The shared instance: the connection's state hangs on its channel. */
	public static final DatagramHandler INSTANCE = new DatagramHandler();

	DatagramHandler() {
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof ByteBuf) {
			ByteBuf datagram = (ByteBuf) msg;
			try {
				ConnectionState connection = ConnectionState
					.of((io.netty.handler.codec.quic.QuicChannel) ctx.channel());
				if (connection != null) {
					connection.onDatagram(datagram);
				}
			}
			finally {
				// The connection copied what it keeps: the datagram ends here.
				datagram.release();
			}
			return;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		if (evt instanceof QuicDatagramExtensionEvent) {
			ConnectionState connection = ConnectionState.of((io.netty.handler.codec.quic.QuicChannel) ctx.channel());
			if (connection != null) {
				connection.datagramsNegotiated(((QuicDatagramExtensionEvent) evt).maxLength());
			}
		}
		ctx.fireUserEventTriggered(evt);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		ConnectionState connection = ConnectionState.of((io.netty.handler.codec.quic.QuicChannel) ctx.channel());
		if (connection != null) {
			connection.connectionClosed();
		}
		ctx.fireChannelInactive();
	}

}
