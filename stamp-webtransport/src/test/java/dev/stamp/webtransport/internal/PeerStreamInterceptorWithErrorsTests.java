package dev.stamp.webtransport.internal;

import io.netty.channel.ChannelHandler;

import dev.stamp.core.PeerErrors;

/**
 * The server's {@link PeerStreamInterceptor}, made with
 * {@link PeerStreamInterceptor#withErrors(boolean, ConnectionErrorHandler)}, is the last
 * handler of a connection: it treats the peer's errors and closes exactly as a
 * {@link ConnectionErrorHandler} there does.
 */
class PeerStreamInterceptorWithErrorsTests extends ConnectionErrorHandlerTests {

	@Override
	ChannelHandler handler(PeerErrors peerErrors) {
		return PeerStreamInterceptor.withErrors(true, new ConnectionErrorHandler(peerErrors));
	}

}
