package dev.stamp.webtransport;

import java.io.InputStream;
import java.io.OutputStream;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebTransport stream of a session: bidirectional, or unidirectional (then only one of
 * receive and send works).
 * <p>
 * Reading is flow-controlled end to end: bytes are read from QUIC only as fast as the
 * application consumes them, so a fast peer cannot grow memory. Writing respects the
 * stream's writability, so a slow peer cannot either. Use the reactive form
 * ({@link #receive()}, {@link #send(Publisher)}) or the blocking one
 * ({@link #inputStream()}, {@link #outputStream()}), not both at once for the same
 * direction.
 */
public interface WebTransportStream {

	/**
	 * The QUIC stream id.
	 * @return the stream id
	 */
	long id();

	/**
	 * The session this stream belongs to.
	 * @return the session
	 */
	WebTransportSession session();

	/**
	 * Whether this is a bidirectional stream.
	 * @return {@code true} for a bidirectional stream
	 */
	boolean isBidirectional();

	/**
	 * Whether this side opened the stream.
	 * @return {@code true} if this side opened it
	 */
	boolean isLocallyOpened();

	/**
	 * Whether data can be received (bidirectional, or unidirectional opened by the peer).
	 * @return {@code true} if this side can receive
	 */
	boolean canReceive();

	/**
	 * Whether data can be sent (bidirectional, or unidirectional opened by this side).
	 * @return {@code true} if this side can send
	 */
	boolean canSend();

	/**
	 * The received bytes, chunk by chunk, with backpressure; completes at FIN, fails with
	 * {@link WebTransportStreamException} when the peer resets the stream. One
	 * subscriber.
	 * @return the received chunks
	 */
	Flux<byte[]> receive();

	/**
	 * Writes every chunk of {@code data} respecting backpressure, then ends the stream
	 * (FIN). The preferred way to send: FIN goes out in the same frame as the last chunk
	 * when the publisher completes right after it (see {@link #finish()} for why that
	 * matters). A chunk that no signal follows within the event-loop task (or the batch
	 * of received packets) it arrived in is sent alone.
	 * @param data the chunks to send
	 * @return completes when all was written and FIN sent
	 */
	Mono<Void> send(Publisher<byte[]> data);

	/**
	 * Writes one chunk without ending the stream.
	 * @param data the bytes to write
	 * @return completes when the bytes were handed to QUIC
	 */
	Mono<Void> write(byte[] data);

	/**
	 * Ends the sending side with a FIN of its own. Prefer {@link #send(Publisher)}, or
	 * closing the {@link #outputStream()}, which carry FIN with the last bytes: once the
	 * bytes before it are acknowledged, the QUIC library forgets a FIN that travels
	 * alone, whether it is lost or not yet sent (cloudflare/quiche#2525), and the peer
	 * then waits for the end of the stream. Stamp sends such a FIN at once to narrow that
	 * window, but cannot close it.
	 * @return completes when FIN was sent
	 */
	Mono<Void> finish();

	/**
	 * Aborts the sending side (RESET_STREAM) with a WebTransport application error code.
	 * @param code 32-bit unsigned application error code
	 */
	void reset(long code);

	/**
	 * Asks the peer to stop sending (STOP_SENDING) with a WebTransport application error
	 * code.
	 * @param code the WebTransport application error code
	 */
	void stopSending(long code);

	/**
	 * Completes when the stream is fully closed in both directions.
	 * @return completes once both directions are closed
	 */
	Mono<Void> closeSignal();

	/**
	 * A blocking view of the received bytes; {@code read} returns -1 at FIN and throws
	 * {@link WebTransportStreamException} (an {@code IOException}) after a reset. Not for
	 * event-loop threads.
	 * @return the stream's input stream
	 */
	InputStream inputStream();

	/**
	 * A blocking view of the sending side: {@code write} waits while QUIC does not accept
	 * more, {@code close} sends FIN. The last chunk written is held back briefly so that
	 * {@code close} can send it together with FIN: it goes out with the next write, on
	 * {@code flush()}, when this thread waits to read from the same stream, or after 20
	 * ms at the latest. Call {@code flush()} when the peer must see the bytes at once.
	 * Not for event-loop threads.
	 * @return the stream's output stream
	 */
	OutputStream outputStream();

}
