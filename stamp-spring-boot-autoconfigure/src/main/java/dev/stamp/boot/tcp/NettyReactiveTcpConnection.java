package dev.stamp.boot.tcp;

import java.net.InetSocketAddress;
import java.time.Duration;

import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;

import dev.stamp.boot.listener.OrderlyClose;

/**
 * {@link ReactiveTcpConnection} over a Reactor Netty connection whose inbound side ends
 * at the peer's FIN.
 */
final class NettyReactiveTcpConnection implements ReactiveTcpConnection {

	private final Connection connection;

	private final NettyInbound inbound;

	private final Duration lingerTimeout;

	/**
	 * Must be created on the connection's event loop, before the peer can have sent its
	 * FIN.
	 * @param connection the Reactor Netty connection
	 * @param lingerTimeout how long a close waits for the peer's FIN
	 */
	NettyReactiveTcpConnection(Connection connection, Duration lingerTimeout) {
		this.connection = connection;
		this.inbound = new HalfClosableInbound(connection);
		this.lingerTimeout = lingerTimeout;
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return (InetSocketAddress) this.connection.channel().remoteAddress();
	}

	@Override
	public NettyInbound inbound() {
		return this.inbound;
	}

	@Override
	public NettyOutbound outbound() {
		return this.connection.outbound();
	}

	@Override
	public void close() {
		OrderlyClose.start(this.connection.channel(), this.lingerTimeout);
	}

}
