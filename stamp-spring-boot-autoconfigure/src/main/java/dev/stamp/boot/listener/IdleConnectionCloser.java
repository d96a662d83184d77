package dev.stamp.boot.listener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Closes a connection that has seen no traffic in either direction for the idle timeout,
 * so that vanished peers (a pulled cable sends no FIN) do not hold a connection slot
 * forever. A protocol may keep an idle connection open while it is legitimately quiet (an
 * HTTP handler still computing its response). One handler per connection, for the
 * connection's whole life: nothing is added or scheduled per request.
 */
final class IdleConnectionCloser extends ChannelDuplexHandler {

	private static final Log logger = LogFactory.getLog(IdleConnectionCloser.class);

	static final String NAME = "stamp.idleCloser";

	private final Duration idleTimeout;

	private final Predicate<Channel> mayClose;

	private IdleConnectionCloser(Duration idleTimeout, Predicate<Channel> mayClose) {
		this.idleTimeout = idleTimeout;
		this.mayClose = mayClose;
	}

	static void install(ChannelPipeline pipeline, Duration idleTimeout, Predicate<Channel> mayClose) {
		pipeline.addFirst(NAME, new IdleConnectionCloser(idleTimeout, mayClose));
		pipeline.addFirst("stamp.idleState", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof IdleStateEvent) {
			if (!this.mayClose.test(ctx.channel())) {
				return;
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Closing " + ctx.channel().remoteAddress() + ": idle for " + this.idleTimeout);
			}
			ctx.close();
			return;
		}
		super.userEventTriggered(ctx, event);
	}

}
