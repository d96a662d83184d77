package dev.stamp.webtransport.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes up for sends that Netty's QUIC channel (4.2.17, and its main branch as of this
 * writing) can skip.
 * <p>
 * When a connection sends while its timer is overdue (its event loop was busy with
 * packets when the timer was due), Netty runs quiche's timeout handling inside that send.
 * The packets the timeout produces, retransmissions of lost data above all, should go out
 * with another send, but Netty refuses that send as re-entrant. Once nothing is in
 * flight, nothing wakes the connection before the idle timeout: a stream whose last
 * packet was lost stalls for that long. Measured with {@code LossyNetworkTests}: about
 * one run in six stalled at 5 % loss.
 * <p>
 * A nudge asks the channel to send whatever quiche has ready (Netty's package-private
 * {@code connectionSendAndFlush()}, reached by reflection). A connection is nudged every
 * {@link #INTERVAL_MILLIS} while it may have data in flight: from its start, while it
 * carries a CONNECT or streams, and for {@link #LINGER_MILLIS} after, until the last
 * acknowledgements are through. A quiet connection is not nudged at all: a nudge costs
 * some 25 µs (Netty prepares a send buffer each time), which 5,000 idle sessions would
 * pay 5,000 times a second. Where the method is not there (another Netty version),
 * nudging is off and a warning says so once.
 */
final class QuicSendNudge {

	private static final Logger logger = LoggerFactory.getLogger(QuicSendNudge.class);

	static final long INTERVAL_MILLIS = 100;

	static final long LINGER_MILLIS = 1000;

	private static final MethodHandle CONNECTION_SEND_AND_FLUSH = findConnectionSendAndFlush();

	private QuicSendNudge() {
	}

	private static MethodHandle findConnectionSendAndFlush() {
		try {
			Class<?> type = Class.forName("io.netty.handler.codec.quic.QuicheQuicChannel");
			Method method = type.getDeclaredMethod("connectionSendAndFlush");
			method.setAccessible(true);
			return MethodHandles.lookup().unreflect(method);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn("Cannot reach Netty's QUIC send ({}); a connection that loses the last packet of a burst may "
					+ "stall until its idle timeout", ex.toString());
			return null;
		}
	}

	/**
	 * Whether nudging works with this Netty.
	 * @return {@code true} if nudging works
	 */
	static boolean available() {
		return CONNECTION_SEND_AND_FLUSH != null;
	}

	/**
	 * A nudger for {@code channel}, already running: it keeps going while {@code busy}
	 * says so, then lingers and stops until {@link Nudger#wake()}. Event loop only.
	 * @param channel the connection to nudge
	 * @param busy whether the connection still has work to send
	 * @return the running nudger
	 */
	static Nudger forConnection(QuicChannel channel, BooleanSupplier busy) {
		if (CONNECTION_SEND_AND_FLUSH == null
				|| !CONNECTION_SEND_AND_FLUSH.type().parameterType(0).isInstance(channel)) {
			return Nudger.OFF;
		}
		Nudger nudger = new Nudger(channel, busy);
		nudger.wake();
		return nudger;
	}

	private static void nudge(Channel channel) {
		try {
			CONNECTION_SEND_AND_FLUSH.invoke(channel);
		}
		catch (Throwable ex) {
			logger.debug("Nudging {} failed", channel, ex);
		}
	}

	/** Nudges one connection while it may have data in flight. */
	static class Nudger implements Runnable {

		static final Nudger OFF = new Nudger(null, null) {
			@Override
			void wake() {
			}
		};

		private final QuicChannel channel;

		private final BooleanSupplier busy;

		private ScheduledFuture<?> next;

		private long lastBusyNanos;

		Nudger(QuicChannel channel, BooleanSupplier busy) {
			this.channel = channel;
			this.busy = busy;
			if (channel != null) {
				channel.closeFuture().addListener((closed) -> {
					if (this.next != null) {
						this.next.cancel(false);
						this.next = null;
					}
				});
			}
		}

		/**
		 * Something started that may put data in flight: nudge from now on. Event loop
		 * only.
		 */
		void wake() {
			this.lastBusyNanos = System.nanoTime();
			if (this.next == null && this.channel.isOpen()) {
				this.next = this.channel.eventLoop().schedule(this, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
			}
		}

		@Override
		public void run() {
			this.next = null;
			if (!this.channel.isOpen()) {
				return;
			}
			nudge(this.channel);
			long now = System.nanoTime();
			if (this.busy.getAsBoolean()) {
				this.lastBusyNanos = now;
			}
			if (now - this.lastBusyNanos < TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS)) {
				this.next = this.channel.eventLoop().schedule(this, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
			}
		}

	}

}
