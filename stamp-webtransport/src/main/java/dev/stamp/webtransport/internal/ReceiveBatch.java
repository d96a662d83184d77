package dev.stamp.webtransport.internal;

import java.util.ArrayDeque;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a receive batch: sits in front of the QUIC codec on a UDP channel and runs
 * deferred work once every datagram of one read was handed to QUIC, just before QUIC
 * sends what they caused.
 * <p>
 * Writes made while QUIC handles received packets are sent together when the batch ends;
 * a write made from a task of its own pays for a send of its own (packets, encryption, a
 * system call). Work that must wait until the batch has been seen whole (a stream's
 * held-back last chunk, which FIN may still join) but should go out with it is deferred
 * here rather than to the next task.
 */
@ChannelHandler.Sharable
public final class ReceiveBatch extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(ReceiveBatch.class);

	private static final ReceiveBatch INSTANCE = new ReceiveBatch();

	/**
	 * Work deferred to the end of the batch the current thread is in; empty outside
	 * batches.
	 */
	private static final FastThreadLocal<ArrayDeque<Runnable>> DEFERRED = new FastThreadLocal<>() {
		@Override
		protected ArrayDeque<Runnable> initialValue() {
			return new ArrayDeque<>();
		}
	};

	private static final FastThreadLocal<Boolean> IN_BATCH = new FastThreadLocal<>() {
		@Override
		protected Boolean initialValue() {
			return Boolean.FALSE;
		}
	};

	private ReceiveBatch() {
	}

	/**
	 * A UDP channel initializer that puts the batch boundary in front of
	 * {@code quicCodec}.
	 * @param quicCodec the QUIC codec the batch boundary goes in front of
	 * @return the channel initializer
	 */
	public static ChannelHandler inFrontOf(ChannelHandler quicCodec) {
		return new ChannelInitializer<Channel>() {
			@Override
			protected void initChannel(Channel channel) {
				channel.pipeline().addLast(INSTANCE, quicCodec);
			}
		};
	}

	/**
	 * Adds the batch boundary to a pipeline about to get its QUIC codec.
	 * @param udpChannel the UDP channel
	 */
	public static void addTo(Channel udpChannel) {
		udpChannel.pipeline().addLast(INSTANCE);
	}

	/**
	 * Runs {@code task} on {@code eventLoop} at the end of the current receive batch, or
	 * as a task of its own when called outside one (or from another thread).
	 * @param eventLoop the event loop that runs {@code task}
	 * @param task what to run
	 */
	static void atEnd(EventLoop eventLoop, Runnable task) {
		if (eventLoop.inEventLoop() && IN_BATCH.get()) {
			ArrayDeque<Runnable> deferred = DEFERRED.get();
			deferred.add(task);
			if (deferred.size() == 1) {
				// Should the batch never end (its channel closed mid-read), the next task
				// runs what waits.
				eventLoop.execute(ReceiveBatch::runDeferred);
			}
		}
		else {
			eventLoop.execute(task);
		}
	}

	private static void runDeferred() {
		ArrayDeque<Runnable> deferred = DEFERRED.get();
		Runnable task;
		while ((task = deferred.poll()) != null) {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Work deferred to the end of a receive batch failed", ex);
			}
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		IN_BATCH.set(Boolean.TRUE);
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		runDeferred();
		IN_BATCH.set(Boolean.FALSE);
		ctx.fireChannelReadComplete();
	}

}
