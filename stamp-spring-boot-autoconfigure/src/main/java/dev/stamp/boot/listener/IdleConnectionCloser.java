package dev.stamp.boot.listener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Closes a connection that has seen no traffic in either direction for the idle timeout, so that vanished peers
 * (a pulled cable sends no FIN) do not hold a connection slot forever.
 */
final class IdleConnectionCloser extends ChannelDuplexHandler {

	private static final Log logger = LogFactory.getLog(IdleConnectionCloser.class);

	static final String NAME = "stamp.idleCloser";

	private final Duration idleTimeout;

	private IdleConnectionCloser(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	static void install(ChannelPipeline pipeline, Duration idleTimeout) {
		pipeline.addFirst(NAME, new IdleConnectionCloser(idleTimeout));
		pipeline.addFirst("stamp.idleState",
				new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof IdleStateEvent) {
			if (logger.isDebugEnabled()) {
				logger.debug("Closing " + ctx.channel().remoteAddress() + ": idle for " + this.idleTimeout);
			}
			ctx.close();
			return;
		}
		super.userEventTriggered(ctx, event);
	}

}
