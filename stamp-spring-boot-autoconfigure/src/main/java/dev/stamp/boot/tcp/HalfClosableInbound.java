package dev.stamp.boot.tcp;

import java.util.function.Consumer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import reactor.core.publisher.Flux;
import reactor.netty.ByteBufFlux;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;

/**
 * A reactive connection's inbound side that completes when the peer shuts down its output
 * (FIN), while the connection stays open for the reply.
 * <p>
 * With {@code ALLOW_HALF_CLOSURE} Netty reports the peer's FIN as a
 * {@link ChannelInputShutdownEvent}, which Reactor Netty (1.3) ignores: its inbound flux
 * would never complete. Without it, Netty closes the channel on FIN and fails the writes
 * still queued, cutting the reply short. So a small handler turns the event into an
 * end-of-input marker read in order after the last received bytes, and {@link #receive()}
 * ends at that marker.
 */
final class HalfClosableInbound implements NettyInbound {

	static final String HANDLER_NAME = "stamp.tcp.inputEnd";

	/**
	 * Not reference counted: Reactor Netty's release of an unconsumed marker is a no-op.
	 */
	private static final Object END_OF_INPUT = new Object() {

		@Override
		public String toString() {
			return "END_OF_INPUT";
		}

	};

	private final Connection connection;

	private final NettyInbound inbound;

	/**
	 * Must be called on the connection's event loop, before the peer can have sent its
	 * FIN.
	 * @param connection the Reactor Netty connection
	 */
	HalfClosableInbound(Connection connection) {
		this.connection = connection;
		this.inbound = connection.inbound();
		connection.addHandlerFirst(HANDLER_NAME, new EndOfInputMarker());
	}

	@Override
	public ByteBufFlux receive() {
		return ByteBufFlux.fromInbound(receiveObject(), this.connection.channel().alloc());
	}

	@Override
	public Flux<?> receiveObject() {
		// Nothing can follow the peer's FIN, so ending the subscription at the marker
		// loses no data.
		return this.inbound.receiveObject().takeWhile((message) -> message != END_OF_INPUT);
	}

	@Override
	public NettyInbound withConnection(Consumer<? super Connection> withConnection) {
		withConnection.accept(this.connection);
		return this;
	}

	private static final class EndOfInputMarker extends ChannelInboundHandlerAdapter {

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof ChannelInputShutdownEvent) {
				ctx.fireChannelRead(END_OF_INPUT);
				ctx.fireChannelReadComplete();
			}
			ctx.fireUserEventTriggered(event);
		}

	}

}
