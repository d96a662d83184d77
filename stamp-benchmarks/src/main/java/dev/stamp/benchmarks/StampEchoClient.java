package dev.stamp.benchmarks;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;
import dev.stamp.webtransport.client.WebTransportClientConnection;

/**
 * {@link EchoClient} on Stamp's own WebTransport client ({@link WebTransportClient}),
 * used against every WebTransport server (Stamp and Flupke), each session on its own QUIC
 * connection, through the client's reactive API.
 */
final class StampEchoClient implements EchoClient {

	private final WebTransportClient client;

	private final InetSocketAddress address;

	private final String authority;

	private final String path;

	private final Duration timeout;

	private final @Nullable SourceAddresses sources;

	/**
	 * Creates the client; each session it opens gets a QUIC connection of its own.
	 * @param port the server's UDP port on 127.0.0.1
	 * @param certificateSha256 the server certificate's hash, pinned like a browser's
	 * {@code serverCertificateHashes}
	 * @param path the echo endpoint
	 * @param threads client event loops
	 * @param idleTimeout the QUIC idle timeout the client proposes
	 * @param timeout bound of every blocking wait
	 * @param sources local addresses to bind connections to round-robin, {@code null} for
	 * any
	 * @param connectionsPerSocket how many QUIC connections share one UDP socket
	 */
	StampEchoClient(int port, byte[] certificateSha256, String path, int threads, Duration idleTimeout,
			Duration timeout, @Nullable SourceAddresses sources, int connectionsPerSocket) {
		this.sources = sources;
		this.client = WebTransportClient.builder()
			.trustCertificateHash(certificateSha256)
			.idleTimeout(idleTimeout)
			.connectTimeout(timeout)
			.threads(threads)
			.connectionsPerSocket(connectionsPerSocket)
			.build();
		this.address = new InetSocketAddress(LoadGenerator.HOST, port);
		this.authority = LoadGenerator.HOST + ":" + port;
		this.path = path;
		this.timeout = timeout;
	}

	@Override
	public Session open() {
		WebTransportClientConnection connection = (this.sources != null)
				? this.client.openConnection(this.address, this.authority, this.sources.next())
				: this.client.openConnection(this.address, this.authority);
		try {
			WebTransportSession session = connection.openSession(this.path).block(this.timeout);
			return new StampSession(connection, session, this.timeout);
		}
		catch (RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	@Override
	public void close() {
		this.client.close();
	}

	/**
	 * Emits the echo's chunks while send() asks for them and the echo has room; completes
	 * once the run stops.
	 */
	private static final class ChunkPump {

		private final StreamEcho echo;

		private final FluxSink<byte[]> sink;

		private boolean completed;

		ChunkPump(StreamEcho echo, FluxSink<byte[]> sink) {
			this.echo = echo;
			this.sink = sink;
		}

		synchronized void run() {
			while (!this.completed && this.sink.requestedFromDownstream() > 0) {
				if (this.echo.stopping()) {
					this.completed = true;
					this.echo.senderFinished();
					this.sink.complete();
					return;
				}
				if (!this.echo.hasRoom()) {
					return;
				}
				this.sink.next(this.echo.nextChunk());
			}
		}

	}

	private static final class StampSession implements Session {

		private final WebTransportClientConnection connection;

		private final WebTransportSession session;

		private final Duration timeout;

		StampSession(WebTransportClientConnection connection, WebTransportSession session, Duration timeout) {
			this.connection = connection;
			this.session = session;
			this.timeout = timeout;
		}

		@Override
		public void startStreamEcho(StreamEcho echo) {
			WebTransportStream stream = this.session.openBidiStream().block(this.timeout);
			stream.receive().subscribe(echo::received, (error) -> echo.failed("receive: " + error), echo::finished);
			// send() asks for the next chunk only when the stream can take it, and sends
			// FIN when the chunks end.
			Flux<byte[]> chunks = Flux.create((sink) -> {
				ChunkPump pump = new ChunkPump(echo, sink);
				echo.wakeSender(pump::run);
				sink.onRequest((demand) -> pump.run());
			});
			stream.send(chunks).subscribe(null, (error) -> echo.failed("send: " + error));
		}

		@Override
		public byte[] echoOnce(byte[] message, Duration timeout) {
			WebTransportStream stream = this.session.openBidiStream().block(timeout);
			return stream.send(Mono.just(message))
				.then(stream.receive()
					.collect(ByteArrayOutputStream::new, (out, chunk) -> out.write(chunk, 0, chunk.length))
					.map(ByteArrayOutputStream::toByteArray))
				.block(timeout);
		}

		@Override
		public void startDatagrams(DatagramWindow window) {
			this.session.datagrams().subscribe(window::received);
			window.start((datagram) -> this.session.sendDatagram(datagram).subscribe(null, window::sendFailed));
		}

		@Override
		public boolean isOpen() {
			return this.session.isOpen();
		}

		@Override
		public void close() {
			this.connection.close();
		}

	}

}
