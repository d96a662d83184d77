package dev.stamp.boot.tcp;

import java.net.InetSocketAddress;

import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;

/**
 * {@link ReactiveTcpConnection} over a Reactor Netty connection.
 */
record NettyReactiveTcpConnection(Connection connection) implements ReactiveTcpConnection {

	@Override
	public InetSocketAddress remoteAddress() {
		return (InetSocketAddress) this.connection.channel().remoteAddress();
	}

	@Override
	public NettyInbound inbound() {
		return this.connection.inbound();
	}

	@Override
	public NettyOutbound outbound() {
		return this.connection.outbound();
	}

	@Override
	public void close() {
		this.connection.dispose();
	}

}
