package dev.stamp.webtransport.internal;

import java.util.function.LongFunction;

import io.netty.channel.ChannelHandler;

import dev.stamp.webtransport.protocol.StreamTypes;

/**
 * The {@code unknownInboundStreamHandlerFactory} given to Netty's HTTP/3 connection
 * handlers: WebTransport unidirectional streams (0x54) get a
 * {@link UniStreamHeaderDecoder}, every other unknown type an
 * {@link UnknownStreamHandler}. Never returns {@code null}.
 */
public final class StreamTypeDispatch implements LongFunction<ChannelHandler> {

	/** The shared instance: the dispatch holds no state. */
	public static final StreamTypeDispatch INSTANCE = new StreamTypeDispatch();

	@Override
	public ChannelHandler apply(long streamType) {
		if (streamType == StreamTypes.UNI_STREAM_TYPE) {
			return new UniStreamHeaderDecoder();
		}
		return UnknownStreamHandler.INSTANCE;
	}

}
