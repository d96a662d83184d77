package dev.stamp.boot.websocket;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.stamp.boot.StampContextRunner;
import dev.stamp.boot.StampRoute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The case families of the Autobahn|Testsuite (fuzzingclient), driven with raw frames
 * against a real listener's echo route. Each case names its Autobahn number and the RFC
 * section it checks, and asserts the exact echo or the exact close code; after every
 * hostile case a well-behaved client must still be served.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebSocketConformanceTests {

	private static final int PROTOCOL_ERROR = 1002;

	private static final int INVALID_PAYLOAD = 1007;

	private static final int MESSAGE_TOO_BIG = 1009;

	private final ApplicationContextRunner runner = StampContextRunner.create().withUserConfiguration(EchoRoute.class);

	@Test
	void framing1() {
		this.runner.run((context) -> {
			int port = WebSocketListenerTests.port(context);
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				// 1.1.1-1.1.6 and 1.2.1-1.2.6 (RFC 6455 5.2, payload length encodings):
				// 7-bit, 16-bit and 64-bit
				for (int length : new int[] { 0, 125, 126, 127, 128, 65535, 65536 }) {
					byte[] text = RawWebSocketClient.utf8("*".repeat(length));
					client.sendFrame(true, 0, RawWebSocketClient.TEXT, text);
					assertEcho(client, RawWebSocketClient.TEXT, text, "1.1 text of " + length + " bytes");
					byte[] binary = new byte[length];
					Arrays.fill(binary, (byte) 0xfe);
					client.sendFrame(true, 0, RawWebSocketClient.BINARY, binary);
					assertEcho(client, RawWebSocketClient.BINARY, binary, "1.2 binary of " + length + " bytes");
				}
			}
			// 1.1.8 (RFC 6455 5.2): a 64 KB frame written in chunks of 997 bytes
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				byte[] text = RawWebSocketClient.utf8("*".repeat(65535));
				writeInChunks(client, frameBytes(RawWebSocketClient.TEXT, text), 997);
				assertEcho(client, RawWebSocketClient.TEXT, text, "1.1.8");
			}
		});
	}

	@Test
	void pingPong2() {
		this.runner.run((context) -> {
			int port = WebSocketListenerTests.port(context);
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				// 2.1-2.4 (RFC 6455 5.5.2, 5.5.3): a ping is answered with a pong
				// carrying the same payload
				for (byte[] payload : new byte[][] { new byte[0], RawWebSocketClient.utf8("Hello, world!"),
						{ 0x00, (byte) 0xff, (byte) 0xfe }, RawWebSocketClient.utf8("p".repeat(125)) }) {
					client.sendFrame(true, 0, RawWebSocketClient.PING, payload);
					assertFrame(client.readFrame(), RawWebSocketClient.PONG, payload,
							"2.1-2.4 pong of " + payload.length + " bytes");
				}
				// 2.6: a 125-byte ping written one byte at a time
				writeInChunks(client, frameBytes(RawWebSocketClient.PING, RawWebSocketClient.utf8("q".repeat(125))), 1);
				assertFrame(client.readFrame(), RawWebSocketClient.PONG, RawWebSocketClient.utf8("q".repeat(125)),
						"2.6");
				// 2.7, 2.8 (RFC 6455 5.5.3): unsolicited pongs are ignored; 2.9: then a
				// ping is answered
				client.sendFrame(true, 0, RawWebSocketClient.PONG, new byte[0]);
				client.sendFrame(true, 0, RawWebSocketClient.PONG, RawWebSocketClient.utf8("unsolicited"));
				client.sendFrame(true, 0, RawWebSocketClient.PING, RawWebSocketClient.utf8("after pongs"));
				assertFrame(client.readFrame(), RawWebSocketClient.PONG, RawWebSocketClient.utf8("after pongs"),
						"2.9 only the ping is answered");
				// 2.10: ten pings in a row, ten pongs in order
				for (int i = 0; i < 10; i++) {
					client.sendFrame(true, 0, RawWebSocketClient.PING, RawWebSocketClient.utf8("ping " + i));
				}
				for (int i = 0; i < 10; i++) {
					assertFrame(client.readFrame(), RawWebSocketClient.PONG, RawWebSocketClient.utf8("ping " + i),
							"2.10 pong " + i);
				}
				client.sendText("after pings");
				assertThat(client.readText()).isEqualTo("after pings");
			}
			// 2.5 (RFC 6455 5.5): a control frame with more than 125 bytes of payload
			failsWith(context, "2.5", PROTOCOL_ERROR,
					(client) -> client.sendFrame(true, 0, RawWebSocketClient.PING, new byte[126]));
		});
	}

	@Test
	void reservedBits3() {
		this.runner.run((context) -> {
			// 3.1-3.7 (RFC 6455 5.2): a reserved bit set with no extension negotiated
			// fails the connection
			failsWith(context, "3.1", PROTOCOL_ERROR,
					(client) -> client.sendFrame(true, 4, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("rsv1")));
			failsWith(context, "3.2", PROTOCOL_ERROR, (client) -> {
				client.sendText("fine");
				assertThat(client.readText()).isEqualTo("fine");
				client.sendFrame(true, 2, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("rsv2"));
			});
			failsWith(context, "3.3", PROTOCOL_ERROR,
					(client) -> client.sendFrame(true, 6, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("rsv1+2")));
			failsWith(context, "3.4", PROTOCOL_ERROR,
					(client) -> client.sendFrame(true, 1, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("rsv3")));
			failsWith(context, "3.5", PROTOCOL_ERROR,
					(client) -> client.sendFrame(true, 5, RawWebSocketClient.BINARY, new byte[] { 1 }));
			failsWith(context, "3.6", PROTOCOL_ERROR,
					(client) -> client.sendFrame(true, 3, RawWebSocketClient.PING, RawWebSocketClient.utf8("ping")));
			failsWith(context, "3.7", PROTOCOL_ERROR, (client) -> client.sendFrame(true, 7, RawWebSocketClient.CLOSE,
					RawWebSocketClient.closePayload(1000, "")));
			// A continuation frame may not set what its message's first frame did not
			failsWith(context, "3.x continuation", PROTOCOL_ERROR, (client) -> {
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("first "));
				client.sendFrame(true, 4, RawWebSocketClient.CONTINUATION, RawWebSocketClient.utf8("second"));
			});
		});
	}

	@Test
	void opcodes4() {
		this.runner.run((context) -> {
			// 4.1.1-4.1.5 (RFC 6455 5.2): reserved non-control opcodes 3-7
			for (int opcode = 3; opcode <= 7; opcode++) {
				int reserved = opcode;
				failsWith(context, "4.1 opcode " + opcode, PROTOCOL_ERROR,
						(client) -> client.sendFrame(true, 0, reserved, RawWebSocketClient.utf8("reserved")));
			}
			// 4.2.1-4.2.5 (RFC 6455 5.2): reserved control opcodes 0xB-0xF, after a
			// message that is echoed
			for (int opcode = 0xB; opcode <= 0xF; opcode++) {
				int reserved = opcode;
				failsWith(context, "4.2 opcode " + opcode, PROTOCOL_ERROR, (client) -> {
					client.sendText("before");
					assertThat(client.readText()).isEqualTo("before");
					client.sendFrame(true, 0, reserved, new byte[0]);
				});
			}
		});
	}

	@Test
	void fragmentation5() {
		this.runner.run((context) -> {
			int port = WebSocketListenerTests.port(context);
			// 5.1, 5.2 (RFC 6455 5.4): control frames must not be fragmented
			failsWith(context, "5.1", PROTOCOL_ERROR,
					(client) -> client.sendFrame(false, 0, RawWebSocketClient.PING, RawWebSocketClient.utf8("frag")));
			failsWith(context, "5.2", PROTOCOL_ERROR,
					(client) -> client.sendFrame(false, 0, RawWebSocketClient.PONG, RawWebSocketClient.utf8("frag")));
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				// 5.3-5.5 (RFC 6455 5.4): a text message in two fragments is one message
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("fragment1"));
				client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION, RawWebSocketClient.utf8("fragment2"));
				assertThat(client.readText()).isEqualTo("fragment1fragment2");
				// 5.6-5.8: a ping between fragments is answered at once
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("fragment1"));
				client.sendFrame(true, 0, RawWebSocketClient.PING, RawWebSocketClient.utf8("pongme!"));
				client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION, RawWebSocketClient.utf8("fragment2"));
				assertFrame(client.readFrame(), RawWebSocketClient.PONG, RawWebSocketClient.utf8("pongme!"), "5.6");
				assertThat(client.readText()).isEqualTo("fragment1fragment2");
				// 5.19, 5.20: many fragments with pings in between
				for (int i = 0; i < 5; i++) {
					client.sendFrame(false, 0, (i == 0) ? RawWebSocketClient.TEXT : RawWebSocketClient.CONTINUATION,
							RawWebSocketClient.utf8("f" + i));
					client.sendFrame(true, 0, RawWebSocketClient.PING, RawWebSocketClient.utf8("p" + i));
				}
				client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION, RawWebSocketClient.utf8("end"));
				for (int i = 0; i < 5; i++) {
					assertFrame(client.readFrame(), RawWebSocketClient.PONG, RawWebSocketClient.utf8("p" + i),
							"5.19 pong " + i);
				}
				assertThat(client.readText()).isEqualTo("f0f1f2f3f4end");
			}
			// 5.9-5.14 (RFC 6455 5.4): a continuation frame with no message to continue
			failsWith(context, "5.9", PROTOCOL_ERROR, (client) -> client.sendFrame(true, 0,
					RawWebSocketClient.CONTINUATION, RawWebSocketClient.utf8("orphan")));
			failsWith(context, "5.10", PROTOCOL_ERROR, (client) -> client.sendFrame(false, 0,
					RawWebSocketClient.CONTINUATION, RawWebSocketClient.utf8("orphan")));
			failsWith(context, "5.15", PROTOCOL_ERROR, (client) -> {
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("fragment1"));
				client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION, RawWebSocketClient.utf8("fragment2"));
				assertThat(client.readText()).isEqualTo("fragment1fragment2");
				client.sendFrame(false, 0, RawWebSocketClient.CONTINUATION, RawWebSocketClient.utf8("fragment3"));
			});
			// 5.18 (RFC 6455 5.4): a new data frame while a fragmented message is open
			failsWith(context, "5.18", PROTOCOL_ERROR, (client) -> {
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("fragment1"));
				client.sendFrame(true, 0, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("fragment2"));
			});
			// RFC 6455 5.1: frames from a client must be masked
			failsWith(context, "5.1 unmasked", PROTOCOL_ERROR, (client) -> client.sendUnmaskedFrame(true,
					RawWebSocketClient.TEXT, RawWebSocketClient.utf8("unmasked")));
		});
	}

	@Test
	void utf8Handling6() {
		this.runner.run((context) -> {
			int port = WebSocketListenerTests.port(context);
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				// 6.2.1, 6.5.x (RFC 6455 8.1, RFC 3629): valid multi-byte text, whole and
				// in fragments
				String valid = "Hello-µ@ßöäüàá-UTF-8!! κόσμε 𝄞";
				client.sendText(valid);
				assertThat(client.readText()).isEqualTo(valid);
				// 6.2.3, 6.2.4: a code point split across two fragments is valid
				byte[] kosme = RawWebSocketClient.utf8("κόσμε");
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, Arrays.copyOfRange(kosme, 0, 1));
				client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION, Arrays.copyOfRange(kosme, 1, kosme.length));
				assertThat(client.readText()).isEqualTo("κόσμε");
				byte[] clef = RawWebSocketClient.utf8("𝄞");
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, Arrays.copyOfRange(clef, 0, 2));
				client.sendFrame(false, 0, RawWebSocketClient.CONTINUATION, Arrays.copyOfRange(clef, 2, 3));
				client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION, Arrays.copyOfRange(clef, 3, 4));
				assertThat(client.readText()).isEqualTo("𝄞");
				// Binary messages are not UTF-8 checked
				client.sendFrame(true, 0, RawWebSocketClient.BINARY, new byte[] { (byte) 0xff, (byte) 0xfe });
				assertEcho(client, RawWebSocketClient.BINARY, new byte[] { (byte) 0xff, (byte) 0xfe },
						"binary is not text");
			}
			// 6.3.1 (RFC 6455 8.1): a surrogate code point (ED A0 80) in a single frame
			failsWith(context, "6.3.1", INVALID_PAYLOAD, (client) -> client.sendFrame(true, 0, RawWebSocketClient.TEXT,
					bytes(0xce, 0xba, 0xed, 0xa0, 0x80)));
			// 6.3.2, 6.4.1: an invalid sequence in the second fragment, detected before
			// the message ends
			failsWith(context, "6.4.1", INVALID_PAYLOAD, (client) -> {
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("κόσμε"));
				client.sendFrame(false, 0, RawWebSocketClient.CONTINUATION, bytes(0xf4, 0x90, 0x80, 0x80));
			});
			// 6.6.x, 6.8.x: overlong encoding and bytes never valid in UTF-8
			failsWith(context, "6.8.1", INVALID_PAYLOAD,
					(client) -> client.sendFrame(true, 0, RawWebSocketClient.TEXT, bytes(0xc0, 0xaf)));
			failsWith(context, "6.20.x", INVALID_PAYLOAD,
					(client) -> client.sendFrame(true, 0, RawWebSocketClient.TEXT, bytes(0xff)));
			// 6.4.2-6.4.4: a truncated code point only detectable at the message's final
			// fragment
			failsWith(context, "6.4.4", INVALID_PAYLOAD, (client) -> {
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, bytes('o', 'k', 0xf0, 0x9f));
				client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION, new byte[0]);
			});
			failsWith(context, "6.4.x whole", INVALID_PAYLOAD,
					(client) -> client.sendFrame(true, 0, RawWebSocketClient.TEXT, bytes('o', 'k', 0xf0, 0x9f, 0x98)));
			// 7.5.1 (RFC 6455 5.5.1): a close reason that is not UTF-8
			failsWith(context, "7.5.1", INVALID_PAYLOAD, (client) -> client.sendFrame(true, 0, RawWebSocketClient.CLOSE,
					bytes(0x03, 0xe8, 0xce, 0xba, 0xed, 0xa0, 0x80)));
		});
	}

	@Test
	void closeHandling7() {
		this.runner.run((context) -> {
			int port = WebSocketListenerTests.port(context);
			// 7.1.1 (RFC 6455 5.5.1): a message, then a close is answered with the same
			// status
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				client.sendText("Hello World!");
				assertThat(client.readText()).isEqualTo("Hello World!");
				client.sendClose(1000, "");
				assertThat(client.awaitClose()).isEqualTo(1000);
				assertThat(client.isEndOfStream()).as("7.1.1 connection ends after the close").isTrue();
			}
			// 7.1.3, 7.1.4: after its close, a client's ping or message is not answered
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				client.sendClose(1000, "");
				client.sendFrame(true, 0, RawWebSocketClient.PING, RawWebSocketClient.utf8("after close"));
				client.sendText("after close");
				assertThat(client.awaitClose()).isEqualTo(1000);
				assertThat(client.readFrame()).as("7.1.3 nothing after the close reply").isNull();
			}
			// 7.3.1 (RFC 6455 5.5.1): an empty close is answered with an empty close
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				client.sendFrame(true, 0, RawWebSocketClient.CLOSE, new byte[0]);
				assertThat(client.awaitClose()).isEqualTo(RawWebSocketClient.NO_STATUS);
			}
			// 7.3.3-7.3.5: status and reason (up to 123 bytes) are echoed
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				client.sendClose(1000, "r".repeat(123));
				RawWebSocketClient.Frame close = client.awaitCloseFrame();
				assertThat(close).isNotNull();
				assertThat(close.closeStatus()).isEqualTo(1000);
				assertThat(close.closeReason()).isEqualTo("r".repeat(123));
			}
			// 7.3.2: a close payload of one byte
			failsWith(context, "7.3.2", PROTOCOL_ERROR,
					(client) -> client.sendFrame(true, 0, RawWebSocketClient.CLOSE, new byte[] { 0x03 }));
			// 7.3.6: a close reason of 124 bytes makes the control frame too long
			failsWith(context, "7.3.6", PROTOCOL_ERROR, (client) -> client.sendClose(1000, "r".repeat(124)));
			// 7.7.x (RFC 6455 7.4.1, 7.4.2): every valid status code is echoed in the
			// close reply
			for (int status : new int[] { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000,
					3999, 4000, 4999 }) {
				try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
					client.sendClose(status, "");
					assertThat(client.awaitClose()).as("7.7 close with " + status).isEqualTo(status);
				}
			}
			// 7.9.x, 7.13.x (RFC 6455 7.4.1, 7.4.2): reserved, internal-only and
			// out-of-range codes
			for (int status : new int[] { 0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535 }) {
				failsWith(context, "7.9 close with " + status, PROTOCOL_ERROR,
						(client) -> client.sendClose(status, ""));
			}
		});
	}

	@Test
	void limits9() {
		this.runner.withPropertyValues("stamp.websocket.max-message-size=16KB").run((context) -> {
			int port = WebSocketListenerTests.port(context);
			try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
				// 9.1.x, 9.2.x (RFC 6455 10.4): a message of the configured maximum,
				// whole and in 1 KB fragments
				byte[] largest = RawWebSocketClient.utf8("m".repeat(16 * 1024));
				client.sendFrame(true, 0, RawWebSocketClient.TEXT, largest);
				assertEcho(client, RawWebSocketClient.TEXT, largest, "9.1 largest message");
				for (int offset = 0; offset < largest.length; offset += 1024) {
					client.sendFrame(offset + 1024 >= largest.length, 0,
							(offset == 0) ? RawWebSocketClient.BINARY : RawWebSocketClient.CONTINUATION,
							Arrays.copyOfRange(largest, offset, offset + 1024));
				}
				assertEcho(client, RawWebSocketClient.BINARY, largest, "9.4 largest message in fragments");
			}
			// RFC 6455 7.4.1: one byte over the limit, in one frame or joined from
			// fragments
			failsWith(context, "9.x frame", MESSAGE_TOO_BIG,
					(client) -> client.sendFrame(true, 0, RawWebSocketClient.BINARY, new byte[16 * 1024 + 1]));
			failsWith(context, "9.x fragments", MESSAGE_TOO_BIG, (client) -> {
				client.sendFrame(false, 0, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("m".repeat(8 * 1024)));
				client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION,
						RawWebSocketClient.utf8("m".repeat(8 * 1024 + 1)));
			});
		});
	}

	@Test
	void compression12And13() {
		this.runner.withPropertyValues("stamp.websocket.compression=true", "stamp.websocket.max-message-size=64KB")
			.run((context) -> {
				int port = WebSocketListenerTests.port(context);
				try (RawWebSocketClient client = RawWebSocketClient.connectDeflating(port, "/echo")) {
					// 12.1.x, 12.2.x (RFC 7692 7.2): compressed messages of growing size,
					// text and binary, each echoed (and inflated by the client), the
					// shared context carried from one to the next
					for (int length : new int[] { 16, 64, 256, 1024, 4096, 16384, 65536 }) {
						byte[] text = RawWebSocketClient
							.utf8("compress me ".repeat(length / 12 + 1).substring(0, length));
						client.sendCompressed(RawWebSocketClient.TEXT, text);
						assertEcho(client, RawWebSocketClient.TEXT, text, "12.1 text of " + length + " bytes");
						byte[] binary = new byte[length];
						for (int i = 0; i < length; i++) {
							binary[i] = (byte) (i % 7);
						}
						client.sendCompressed(RawWebSocketClient.BINARY, binary);
						assertEcho(client, RawWebSocketClient.BINARY, binary, "12.2 binary of " + length + " bytes");
					}
					// RFC 7692 6: an uncompressed message is still allowed on the same
					// connection
					client.sendText("plain");
					assertThat(client.readText()).isEqualTo("plain");
				}
				// 13.x (RFC 7692 7.1.1, 7.1.2.1): the client offers parameters and
				// compresses every message on its own, which the server's inflater,
				// keeping its context, must still follow
				try (RawWebSocketClient client = RawWebSocketClient.connectDeflating(port, "/echo",
						"permessage-deflate; client_no_context_takeover; client_max_window_bits")) {
					for (int i = 0; i < 5; i++) {
						byte[] text = RawWebSocketClient.utf8("the same text again and again, message " + i);
						client.sendCompressed(RawWebSocketClient.TEXT, text);
						assertEcho(client, RawWebSocketClient.TEXT, text, "13.x message " + i);
					}
				}
				// 12.x (RFC 7692 7.2.1): a compressed message in fragments, RSV1 on the
				// first only
				try (RawWebSocketClient client = RawWebSocketClient.connectDeflating(port, "/echo")) {
					byte[] text = RawWebSocketClient.utf8("fragmented and compressed ".repeat(200));
					byte[] compressed = client.deflate(text);
					int half = compressed.length / 2;
					client.sendFrame(false, 4, RawWebSocketClient.TEXT, Arrays.copyOfRange(compressed, 0, half));
					client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION,
							Arrays.copyOfRange(compressed, half, compressed.length));
					assertEcho(client, RawWebSocketClient.TEXT, text, "12.x fragmented");
				}
				// RFC 7692 8.1: compressed fragments each within the limit, joined over
				// it
				failsWith(context, "12.x joined too big", MESSAGE_TOO_BIG, (client) -> {
					// Random bytes do not compress: each half inflates to about 40 KB
					byte[] message = new byte[80 * 1024];
					ThreadLocalRandom.current().nextBytes(message);
					byte[] compressed = client.deflate(message);
					int half = compressed.length / 2;
					client.sendFrame(false, 4, RawWebSocketClient.BINARY, Arrays.copyOfRange(compressed, 0, half));
					client.sendFrame(true, 0, RawWebSocketClient.CONTINUATION,
							Arrays.copyOfRange(compressed, half, compressed.length));
				}, true);
				// RFC 7692 8.1 (decompression bomb): a small frame inflating past
				// max-message-size
				failsWith(context, "12.x inflated too big", MESSAGE_TOO_BIG, (client) -> {
					byte[] bomb = client.deflate(new byte[1024 * 1024]);
					assertThat(bomb.length).isLessThan(2048);
					client.sendFrame(true, 4, RawWebSocketClient.BINARY, bomb);
				}, true);
				// RFC 7692 6.2: compressed data that does not inflate (a reserved DEFLATE
				// block type)
				failsWith(context, "12.x corrupt", INVALID_PAYLOAD,
						(client) -> client.sendFrame(true, 4, RawWebSocketClient.BINARY, bytes(0xff, 0xff, 0xff)),
						true);
				// RFC 7692 6.1: RSV1 on a control frame, even with permessage-deflate
				// negotiated
				failsWith(context, "12.x rsv1 on ping", PROTOCOL_ERROR,
						(client) -> client.sendFrame(true, 4, RawWebSocketClient.PING, RawWebSocketClient.utf8("ping")),
						true);
				// RFC 6455 8.1 after inflating: compressed text that is not UTF-8
				failsWith(context, "6.x compressed", INVALID_PAYLOAD,
						(client) -> client.sendCompressed(RawWebSocketClient.TEXT, bytes(0xce, 0xba, 0xed, 0xa0, 0x80)),
						true);
			});
	}

	@Test
	void compressionIsOffByDefault() {
		this.runner.run((context) -> {
			try (RawWebSocketClient client = RawWebSocketClient.connect(WebSocketListenerTests.port(context),
					"/echo")) {
				assertThat(client.handshakeResponse.toLowerCase()).doesNotContain("sec-websocket-extensions");
			}
		});
	}

	@Test
	void fiftyBadClientsLogAFewWarnLinesAndNoStackTrace(CapturedOutput output) {
		this.runner.run((context) -> {
			int port = WebSocketListenerTests.port(context);
			for (int i = 0; i < 50; i++) {
				try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
					switch (i % 5) {
						case 0 -> client.sendFrame(true, 0, RawWebSocketClient.TEXT, bytes(0xff));
						case 1 -> client.sendFrame(true, 4, RawWebSocketClient.TEXT, RawWebSocketClient.utf8("rsv"));
						case 2 -> client.sendFrame(true, 0, 0x3, RawWebSocketClient.utf8("opcode"));
						case 3 -> client.sendClose(5000, "");
						default -> client.sendUnmaskedFrame(true, RawWebSocketClient.TEXT,
								RawWebSocketClient.utf8("unmasked"));
					}
					assertThat(client.awaitClose()).isIn(PROTOCOL_ERROR, INVALID_PAYLOAD);
				}
			}
			WebSocketListener listener = context.getBean(WebSocketListener.class);
			awaitPeerErrors(listener, 50);
			assertStillServing(port, "after 50 bad clients");
		});
		String log = output.getAll();
		long warnLines = log.lines().filter((line) -> line.contains("WARN")).count();
		assertThat(warnLines).as(log).isBetween(1L, 2L);
		assertThat(log).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(" ERROR ");
	}

	private static void failsWith(ApplicationContext context, String autobahnCase, int expectedStatus,
			ClientSteps steps) throws Exception {
		failsWith(context, autobahnCase, expectedStatus, steps, false);
	}

	/**
	 * Runs a hostile case on a connection of its own: the server must fail the connection
	 * with {@code expectedStatus} and end it, count a peer error, and go on serving a
	 * well-behaved client.
	 */
	private static void failsWith(ApplicationContext context, String autobahnCase, int expectedStatus,
			ClientSteps steps, boolean deflating) throws Exception {
		int port = WebSocketListenerTests.port(context);
		WebSocketListener listener = context.getBean(WebSocketListener.class);
		long errorsBefore = listener.peerErrors().total();
		try (RawWebSocketClient client = deflating ? RawWebSocketClient.connectDeflating(port, "/echo")
				: RawWebSocketClient.connect(port, "/echo")) {
			steps.run(client);
			assertThat(client.awaitClose()).as("case " + autobahnCase + " close status").isEqualTo(expectedStatus);
			assertThat(client.isEndOfStream()).as("case " + autobahnCase + " connection ended").isTrue();
		}
		awaitPeerErrors(listener, errorsBefore + 1);
		assertStillServing(port, "after case " + autobahnCase);
	}

	private static void awaitPeerErrors(WebSocketListener listener, long atLeast) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (listener.peerErrors().total() < atLeast && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(listener.peerErrors().total()).as("peer errors counted").isGreaterThanOrEqualTo(atLeast);
	}

	private static void assertStillServing(int port, String when) throws IOException {
		try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/echo")) {
			client.sendText("still here");
			assertThat(client.readText()).as(when).isEqualTo("still here");
		}
	}

	private static void assertEcho(RawWebSocketClient client, int opcode, byte[] payload, String autobahnCase)
			throws IOException {
		RawWebSocketClient.Frame message = client.readMessage();
		assertThat(message).as(autobahnCase + " echo").isNotNull();
		assertThat(message.opcode()).as(autobahnCase + " opcode").isEqualTo(opcode);
		assertThat(message.payload()).as(autobahnCase + " payload").isEqualTo(payload);
	}

	private static void assertFrame(RawWebSocketClient.Frame frame, int opcode, byte[] payload, String autobahnCase) {
		assertThat(frame).as(autobahnCase).isNotNull();
		assertThat(frame.opcode()).as(autobahnCase + " opcode").isEqualTo(opcode);
		assertThat(frame.payload()).as(autobahnCase + " payload").isEqualTo(payload);
	}

	private static byte[] frameBytes(int opcode, byte[] payload) {
		return RawWebSocketClient.maskedFrame(true, 0, opcode, payload);
	}

	private static void writeInChunks(RawWebSocketClient client, byte[] frame, int chunkSize) throws IOException {
		OutputStream out = client.socket.getOutputStream();
		for (int offset = 0; offset < frame.length; offset += chunkSize) {
			out.write(frame, offset, Math.min(chunkSize, frame.length - offset));
			out.flush();
		}
	}

	private static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

	@FunctionalInterface
	interface ClientSteps {

		void run(RawWebSocketClient client) throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	static class EchoRoute {

		@StampRoute("/echo")
		WebSocketMessage echo(WebSocketConnection client, WebSocketMessage message) {
			return message;
		}

	}

}
