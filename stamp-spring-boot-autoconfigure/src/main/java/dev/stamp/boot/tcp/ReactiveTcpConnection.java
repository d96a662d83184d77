package dev.stamp.boot.tcp;

import java.net.InetSocketAddress;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;

import dev.stamp.boot.StampProtocol;
import dev.stamp.boot.StampProtocolParameter;

/**
 * One TCP connection, seen from a non-blocking handler: a handler method that returns a
 * {@link Publisher} and runs on the event loop. When that publisher completes the
 * connection is closed, once every byte sent on it has been delivered. The inbound side
 * completes when the peer shuts down its output (FIN); the reply can still be sent.
 * <pre class="code">
 * &#64;StampRoute
 * Mono&lt;Void&gt; echo(ReactiveTcpConnection connection) {
 *     return connection.outbound().send(connection.inbound().receive().retain()).then();
 * }
 * </pre>
 */
@StampProtocolParameter(StampProtocol.TCP)
public interface ReactiveTcpConnection {

	/**
	 * The peer's address.
	 * @return the peer's address
	 */
	InetSocketAddress remoteAddress();

	/**
	 * Reactor Netty's inbound side, for zero-copy access to the received buffers.
	 * @return the inbound side
	 */
	NettyInbound inbound();

	/**
	 * Reactor Netty's outbound side.
	 * @return the outbound side
	 */
	NettyOutbound outbound();

	/**
	 * The received data as byte arrays, with backpressure: reading stops while the
	 * subscriber has no demand.
	 * @return the received chunks
	 */
	default Flux<byte[]> receive() {
		return inbound().receive().asByteArray();
	}

	/**
	 * Sends byte arrays as they come; completes when all are written.
	 * @param data the chunks to send
	 * @return completes when all are written
	 */
	default Mono<Void> send(Publisher<byte[]> data) {
		return outbound().sendByteArray(data).then();
	}

	/** Closes the connection once what was sent has been delivered. */
	void close();

}
