package dev.stamp.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import reactor.core.publisher.Flux;

import dev.stamp.webtransport.WebTransportSession;
import dev.stamp.webtransport.WebTransportStream;
import dev.stamp.webtransport.client.WebTransportClient;
import dev.stamp.webtransport.client.WebTransportClientConnection;

/**
 * The soak's misbehaving clients, one of each per round, on plain blocking sockets (and
 * Stamp's WebTransport client): they are not load, they are what a server meets on the
 * internet. What the server did with each is counted by outcome; the bytes that are
 * echoed to them are checked all the same.
 * <ul>
 * <li>slowloris: an HTTP request head sent a byte every 100 ms, never finished;</li>
 * <li>a WebSocket client that sends echo requests and never reads;</li>
 * <li>a TCP client that sends a message and half-closes (FIN), then reads the echo;</li>
 * <li>a WebTransport client that opens streams, sends on them and abandons them (closes
 * its connection without finishing them).</li>
 * </ul>
 */
final class Misbehavers implements AutoCloseable {

	/** How long a misbehaving client keeps at it before giving up. */
	static final Duration PATIENCE = Duration.ofSeconds(10);

	private final ServerProcess server;

	private final Tally tally;

	private final WebTransportClient webTransport;

	private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "misbehaver-watchdog");
		thread.setDaemon(true);
		return thread;
	});

	private final ConcurrentHashMap<String, LongAdder> outcomes = new ConcurrentHashMap<>();

	Misbehavers(ServerProcess server, Tally tally) {
		this.server = server;
		this.tally = tally;
		this.webTransport = WebTransportClient.builder()
			.trustCertificateHash(server.certificateSha256("wt/stamp"))
			.idleTimeout(WebTransportLoad.IDLE_TIMEOUT)
			.connectTimeout(WebTransportLoad.TIMEOUT)
			.threads(1)
			.build();
	}

	/** One of each misbehaving client, one after the other. */
	void round(int round) {
		slowloris();
		neverReadingWebSocket(round, Payloads.ECHO_PATH, "never-reading WebSocket (echo route)");
		neverReadingWebSocket(round, Payloads.ROOM_PATH + "/never-reads-" + round,
				"never-reading WebSocket (a room of its own)");
		halfClosingTcp(round);
		abandonedWebTransportStreams(round);
	}

	/**
	 * How often each outcome happened, for the report: "slowloris: answered 408" and so
	 * on.
	 */
	List<String> outcomes() {
		List<String> lines = new ArrayList<>();
		this.outcomes.forEach((outcome, count) -> lines.add(outcome + ": " + count.sum()));
		lines.sort(null);
		return lines;
	}

	private void outcome(String outcome) {
		this.outcomes.computeIfAbsent(outcome, (key) -> new LongAdder()).increment();
	}

	private void slowloris() {
		byte[] head = ("GET " + Payloads.HELLO_PATH + " HTTP/1.1\r\nHost: " + LoadGenerator.HOST + "\r\nX-Slow: ")
			.getBytes(StandardCharsets.US_ASCII);
		try (Socket socket = connect("http/stamp")) {
			socket.setSoTimeout(100);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			long started = System.nanoTime();
			byte[] reply = new byte[256];
			for (int i = 0; System.nanoTime() - started < PATIENCE.toNanos(); i++) {
				try {
					out.write((i < head.length) ? head[i] : 'a');
					out.flush();
				}
				catch (IOException ex) {
					outcome("slowloris: cut off (write failed)");
					return;
				}
				try {
					int read = in.read(reply);
					if (read < 0) {
						outcome("slowloris: closed by the server without an answer");
						return;
					}
					String status = new String(reply, 0, Math.min(read, 12), StandardCharsets.US_ASCII);
					outcome("slowloris: answered " + status.substring(status.indexOf(' ') + 1).trim() + " after "
							+ (System.nanoTime() - started) / 1_000_000_000 + " s");
					return;
				}
				catch (SocketTimeoutException ex) {
					// nothing yet: the next byte
				}
			}
			outcome("slowloris: still open after " + PATIENCE.toSeconds() + " s");
		}
		catch (IOException ex) {
			outcome("slowloris: " + ex.getClass().getSimpleName());
		}
	}

	/**
	 * Sends a 16 KiB echo request every 10 ms and never reads: once the echoes fill the
	 * socket buffers they queue on the server, which has to cut the client off. Bounded
	 * by {@link #PATIENCE}: then the watchdog closes the socket.
	 */
	private void neverReadingWebSocket(int round, String path, String name) {
		try (Socket socket = new Socket()) {
			socket.setReceiveBufferSize(4096);
			socket.connect(address("ws/stamp"), (int) WebTransportLoad.TIMEOUT.toMillis());
			socket.setSoTimeout((int) WebTransportLoad.TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: " + LoadGenerator.HOST
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String response = readHead(socket.getInputStream());
			if (!response.startsWith("HTTP/1.1 101")) {
				this.tally.error(name + ": handshake answered " + response.lines().findFirst().orElse(""));
				return;
			}
			byte[] frame = maskedTextFrame(Payloads.message(round, 16 * 1024));
			ScheduledFuture<?> giveUp = this.watchdog.schedule(() -> close(socket), PATIENCE.toMillis(),
					TimeUnit.MILLISECONDS);
			long started = System.nanoTime();
			try {
				// 1.6 MB/s: enough to fill the socket buffers and the server's queue in
				// seconds, little enough that the server's CPU is not what is tested.
				while (!giveUp.isDone()) {
					out.write(frame);
					Thread.sleep(10);
				}
				outcome(name + ": still open after " + PATIENCE.toSeconds() + " s");
			}
			catch (IOException ex) {
				outcome(giveUp.isDone() ? name + ": still open after " + PATIENCE.toSeconds() + " s"
						: name + ": cut off by the server within " + ((System.nanoTime() - started) / 1_000_000_000 + 1)
								+ " s");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				giveUp.cancel(false);
			}
		}
		catch (IOException ex) {
			this.tally.error(name + ": " + ex);
		}
	}

	/** Sends a message, half-closes, and expects exactly the message back, then EOF. */
	private void halfClosingTcp(int round) {
		byte[] message = Payloads.message(round, 64);
		try (Socket socket = connect("tcp/stamp")) {
			socket.setSoTimeout((int) WebTransportLoad.TIMEOUT.toMillis());
			socket.getOutputStream().write(message);
			socket.getOutputStream().flush();
			socket.shutdownOutput();
			byte[] reply = socket.getInputStream().readAllBytes();
			if (Arrays.equals(reply, message)) {
				this.tally.completed(1);
				outcome("half-closed TCP: echo complete, then closed");
			}
			else if (reply.length < message.length && Arrays.equals(reply, 0, reply.length, message, 0, reply.length)) {
				this.tally
					.error("half-closed TCP: closed after " + reply.length + " of " + message.length + " bytes echoed");
			}
			else {
				this.tally.mismatch("half-closed TCP: echo not byte-identical");
			}
		}
		catch (IOException ex) {
			this.tally.error("half-closed TCP: " + ex);
		}
	}

	/**
	 * Opens four streams, sends a chunk on each without FIN, waits for each chunk's echo
	 * (checked), then closes the QUIC connection with the streams still open.
	 */
	private void abandonedWebTransportStreams(int round) {
		int port = this.server.port("wt/stamp");
		WebTransportClientConnection connection = null;
		try {
			connection = this.webTransport.openConnection(new InetSocketAddress(LoadGenerator.HOST, port),
					LoadGenerator.HOST + ":" + port);
			WebTransportSession session = connection.openSession(WebTransportScenario.ECHO_PATH)
				.block(WebTransportLoad.TIMEOUT);
			for (int i = 0; i < 4; i++) {
				byte[] chunk = Payloads.message(round * 4 + i, 1024);
				WebTransportStream stream = session.openBidiStream().block(WebTransportLoad.TIMEOUT);
				// Never completes: the stream is left without FIN.
				stream.send(Flux.just(chunk).concatWith(Flux.never())).subscribe(null, (error) -> {
				});
				ByteArrayOutputStream echoed = new ByteArrayOutputStream();
				stream.receive()
					.doOnNext((bytes) -> echoed.write(bytes, 0, bytes.length))
					.takeUntil((bytes) -> echoed.size() >= chunk.length)
					.then()
					.block(WebTransportLoad.TIMEOUT);
				if (Arrays.equals(echoed.toByteArray(), chunk)) {
					this.tally.completed(1);
				}
				else {
					this.tally.mismatch("abandoned WebTransport stream: echo not byte-identical");
				}
			}
			outcome("abandoned WebTransport streams: 4 per session, connection closed with them open");
		}
		catch (RuntimeException ex) {
			this.tally.error("abandoned WebTransport streams: " + ex);
		}
		finally {
			if (connection != null) {
				connection.close();
			}
		}
	}

	private Socket connect(String peer) throws IOException {
		Socket socket = new Socket();
		socket.connect(address(peer), (int) WebTransportLoad.TIMEOUT.toMillis());
		return socket;
	}

	private InetSocketAddress address(String peer) {
		return new InetSocketAddress(LoadGenerator.HOST, this.server.port(peer));
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int last = 0;
		int b;
		while ((b = in.read()) >= 0) {
			head.write(b);
			last = (last << 8) | b;
			if (last == 0x0D0A0D0A) {
				break;
			}
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/** A client text frame, masked with key 0 (legal, and the payload stays readable). */
	private static byte[] maskedTextFrame(byte[] payload) {
		byte[] frame = new byte[8 + payload.length];
		frame[0] = (byte) 0x81;
		frame[1] = (byte) (0x80 | 126);
		frame[2] = (byte) (payload.length >>> 8);
		frame[3] = (byte) payload.length;
		System.arraycopy(payload, 0, frame, 8, payload.length);
		return frame;
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() {
		this.watchdog.shutdownNow();
		this.webTransport.close();
	}

}
