package dev.stamp.webtransport.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

import io.netty.handler.codec.quic.QuicStreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.stamp.webtransport.protocol.Http3ErrorCodes;

/**
 * Sends RESET_STREAM and STOP_SENDING with 62-bit HTTP/3 error codes.
 * <p>
 * WebTransport application codes map to HTTP/3 codes above 2^46, but Netty's public
 * {@link QuicStreamChannel#shutdownOutput(int, io.netty.channel.ChannelPromise)} takes an
 * {@code int}. quiche's native call takes the full 64-bit code, so this class calls it
 * first (reflectively; Netty keeps it package-private) and then Netty's public method,
 * which quiche ignores for the already shut-down direction but which updates the
 * channel's state and flushes the frame. If the reflective path is unavailable, the
 * public method is used with H3_REQUEST_CANCELLED and a warning is logged once. Must be
 * called on the stream's event loop.
 */
final class StreamErrors {

	private static final Logger logger = LoggerFactory.getLogger(StreamErrors.class);

	/**
	 * Used when a code does not fit Netty's int API and the native path is unavailable.
	 */
	static final int FALLBACK_CODE = Http3ErrorCodes.H3_REQUEST_CANCELLED;

	private static final NativeShutdown NATIVE = NativeShutdown.lookup();

	private StreamErrors() {
	}

	/**
	 * RESET_STREAM on the sending side of {@code stream}.
	 * @param stream the stream to reset
	 * @param http3Code the HTTP/3 error code to send
	 */
	static void resetSending(QuicStreamChannel stream, long http3Code) {
		if (stream.isOutputShutdown() || !stream.isActive()) {
			return;
		}
		int publicCode = toPublicCode(stream, http3Code, false);
		stream.shutdownOutput(publicCode, stream.newPromise());
	}

	/**
	 * STOP_SENDING on the receiving side of {@code stream}.
	 * @param stream the stream to stop
	 * @param http3Code the HTTP/3 error code to send
	 */
	static void stopReceiving(QuicStreamChannel stream, long http3Code) {
		if (stream.isInputShutdown() || !stream.isActive()) {
			return;
		}
		int publicCode = toPublicCode(stream, http3Code, true);
		stream.shutdownInput(publicCode, stream.newPromise());
	}

	private static int toPublicCode(QuicStreamChannel stream, long http3Code, boolean read) {
		if (http3Code >= 0 && http3Code <= Integer.MAX_VALUE) {
			return (int) http3Code;
		}
		if (NATIVE != null && NATIVE.shutdown(stream, http3Code, read)) {
			return 0; // ignored by quiche: the direction is already shut down with the
						// real code
		}
		return FALLBACK_CODE;
	}

	/**
	 * Whether 62-bit codes reach the wire (for diagnostics and tests).
	 * @return {@code true} if 62-bit codes are sent as they are
	 */
	static boolean nativeCodesAvailable() {
		return NATIVE != null;
	}

	private static final class NativeShutdown {

		private final MethodHandle connectionOfChannel;

		private final MethodHandle addressOfConnection;

		private final MethodHandle streamShutdown;

		private final int shutdownRead;

		private final int shutdownWrite;

		private NativeShutdown(MethodHandle connectionOfChannel, MethodHandle addressOfConnection,
				MethodHandle streamShutdown, int shutdownRead, int shutdownWrite) {
			this.connectionOfChannel = connectionOfChannel;
			this.addressOfConnection = addressOfConnection;
			this.streamShutdown = streamShutdown;
			this.shutdownRead = shutdownRead;
			this.shutdownWrite = shutdownWrite;
		}

		static NativeShutdown lookup() {
			try {
				ClassLoader loader = QuicStreamChannel.class.getClassLoader();
				Class<?> quiche = Class.forName("io.netty.handler.codec.quic.Quiche", true, loader);
				Class<?> channel = Class.forName("io.netty.handler.codec.quic.QuicheQuicChannel", false, loader);
				Class<?> connection = Class.forName("io.netty.handler.codec.quic.QuicheQuicConnection", false, loader);
				MethodHandles.Lookup lookup = MethodHandles.lookup();
				Field connectionField = channel.getDeclaredField("connection");
				connectionField.setAccessible(true);
				Method address = connection.getDeclaredMethod("address");
				address.setAccessible(true);
				Method shutdown = quiche.getDeclaredMethod("quiche_conn_stream_shutdown", long.class, long.class,
						int.class, long.class);
				shutdown.setAccessible(true);
				Field read = quiche.getDeclaredField("QUICHE_SHUTDOWN_READ");
				read.setAccessible(true);
				Field write = quiche.getDeclaredField("QUICHE_SHUTDOWN_WRITE");
				write.setAccessible(true);
				return new NativeShutdown(lookup.unreflectGetter(connectionField), lookup.unreflect(address),
						lookup.unreflect(shutdown)
							.asType(MethodType.methodType(int.class, long.class, long.class, int.class, long.class)),
						read.getInt(null), write.getInt(null));
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
				logger.warn("WebTransport stream error codes will be sent as H3_REQUEST_CANCELLED: Netty's native "
						+ "QUIC stream shutdown is not reachable ({})", ex.toString());
				return null;
			}
		}

		boolean shutdown(QuicStreamChannel stream, long http3Code, boolean read) {
			try {
				Object connection = this.connectionOfChannel.invoke(stream.parent());
				if (connection == null) {
					return false;
				}
				long address = (long) this.addressOfConnection.invoke(connection);
				if (address == -1 || address == 0) {
					return false;
				}
				int result = (int) this.streamShutdown.invokeExact(address, stream.streamId(),
						read ? this.shutdownRead : this.shutdownWrite, http3Code);
				return result >= 0;
			}
			catch (Throwable ex) {
				logger.debug("Native stream shutdown failed; falling back to Netty's API", ex);
				return false;
			}
		}

	}

}
