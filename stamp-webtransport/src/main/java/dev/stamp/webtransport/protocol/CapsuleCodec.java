package dev.stamp.webtransport.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the capsules of one CONNECT stream.
 * <p>
 * Reading is incremental: the bytes of HTTP/3 DATA frames are fed in as they arrive,
 * complete capsules come out. Capsules of unknown types are skipped without buffering
 * their payload; known ones are bounded ({@link #MAX_KNOWN_CAPSULE_LENGTH}), so a peer
 * cannot make this decoder hold more than a few KiB, and it holds no buffer at all
 * between capsules (a session's CONNECT stream is idle nearly all its life). Not
 * thread-safe: one instance per stream, used on its event loop. The owner must call
 * {@link #release()} when the stream ends.
 */
public final class CapsuleCodec {

	/** The longest payload a known capsule may have (a CLOSE with the longest reason). */
	public static final int MAX_KNOWN_CAPSULE_LENGTH = 4 + Capsule.MAX_CLOSE_REASON_BYTES;

	private final ByteBufAllocator allocator;

	/** Bytes of an unfinished capsule; {@code null} when there are none. */
	private @Nullable ByteBuf cumulation;

	private long skipRemaining;

	private boolean failed;

	private boolean released;

	/**
	 * Creates a codec for one CONNECT stream.
	 * @param allocator allocates the buffer for an unfinished capsule, when there is one
	 */
	public CapsuleCodec(ByteBufAllocator allocator) {
		this.allocator = allocator;
	}

	/**
	 * Feeds bytes received on the CONNECT stream.
	 * @param in the received bytes; read completely, NOT released (the caller still owns
	 * it)
	 * @param out receives every complete known capsule
	 * @throws CapsuleException if a capsule is malformed; the decoder is then unusable
	 */
	public void decode(ByteBuf in, Consumer<Capsule> out) throws CapsuleException {
		if (this.failed) {
			throw new CapsuleException("Capsule stream already failed");
		}
		if (this.skipRemaining > 0) {
			int skip = (int) Math.min(this.skipRemaining, in.readableBytes());
			in.skipBytes(skip);
			this.skipRemaining -= skip;
		}
		if (this.released) {
			in.skipBytes(in.readableBytes());
			return;
		}
		if (this.cumulation == null) {
			this.cumulation = this.allocator.buffer(Math.max(64, in.readableBytes()));
		}
		this.cumulation.writeBytes(in);
		try {
			while (this.skipRemaining == 0 && parseOne(this.cumulation, out)) {
				// keep parsing
			}
		}
		catch (CapsuleException ex) {
			this.failed = true;
			throw ex;
		}
		finally {
			if (this.cumulation.isReadable()) {
				this.cumulation.discardReadBytes();
			}
			else {
				dropCumulation();
			}
		}
	}

	/**
	 * Called when the stream's input ended: bytes of an unfinished capsule are a protocol
	 * error.
	 * @throws CapsuleException if a capsule was cut off
	 */
	public void endOfInput() throws CapsuleException {
		if (!this.failed && ((this.cumulation != null && this.cumulation.isReadable()) || this.skipRemaining > 0)) {
			this.failed = true;
			throw new CapsuleException("CONNECT stream ended inside a capsule");
		}
	}

	private boolean parseOne(ByteBuf buf, Consumer<Capsule> out) throws CapsuleException {
		int start = buf.readerIndex();
		long type = VarInt.read(buf);
		long length = (type == VarInt.INCOMPLETE) ? VarInt.INCOMPLETE : VarInt.read(buf);
		if (length == VarInt.INCOMPLETE) {
			buf.readerIndex(start);
			return false;
		}
		if (type != Capsule.CLOSE_WEBTRANSPORT_SESSION && type != Capsule.DRAIN_WEBTRANSPORT_SESSION) {
			// Unknown capsule (for example datagram or flow-control capsules): skip its
			// payload.
			int skip = (int) Math.min(length, buf.readableBytes());
			buf.skipBytes(skip);
			this.skipRemaining = length - skip;
			return true;
		}
		if (length > MAX_KNOWN_CAPSULE_LENGTH) {
			throw new CapsuleException("Capsule 0x" + Long.toHexString(type) + " too long: " + length + " bytes");
		}
		if (buf.readableBytes() < length) {
			buf.readerIndex(start);
			return false;
		}
		int len = (int) length;
		if (type == Capsule.DRAIN_WEBTRANSPORT_SESSION) {
			if (len != 0) {
				throw new CapsuleException("DRAIN_WEBTRANSPORT_SESSION must be empty, was " + len + " bytes");
			}
			out.accept(new Capsule.Drain());
			return true;
		}
		if (len < 4) {
			throw new CapsuleException("CLOSE_WEBTRANSPORT_SESSION shorter than its error code: " + len + " bytes");
		}
		long code = buf.readUnsignedInt();
		ByteBuffer reasonBytes = buf.nioBuffer(buf.readerIndex(), len - 4);
		buf.skipBytes(len - 4);
		out.accept(new Capsule.Close(code, decodeUtf8(reasonBytes)));
		return true;
	}

	private static String decodeUtf8(ByteBuffer bytes) throws CapsuleException {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(bytes)
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new CapsuleException("CLOSE_WEBTRANSPORT_SESSION reason is not UTF-8");
		}
	}

	/** Releases the bytes buffered for an unfinished capsule. */
	public void release() {
		this.released = true;
		dropCumulation();
	}

	private void dropCumulation() {
		if (this.cumulation != null) {
			this.cumulation.release();
			this.cumulation = null;
		}
	}

	/**
	 * Encodes a capsule.
	 * @param allocator allocates the returned buffer
	 * @param capsule the capsule to encode
	 * @return a new buffer that the caller owns (normally written to the stream, which
	 * releases it)
	 * @throws IllegalArgumentException if a CLOSE carries a code over 32 bits or a reason
	 * over 1024 UTF-8 bytes
	 */
	public static ByteBuf encode(ByteBufAllocator allocator, Capsule capsule) {
		if (capsule instanceof Capsule.Close) {
			Capsule.Close close = (Capsule.Close) capsule;
			if (close.code() < 0 || close.code() > Http3ErrorCodes.MAX_APPLICATION_CODE) {
				throw new IllegalArgumentException("Session close codes are 32-bit unsigned, was " + close.code());
			}
			byte[] reason = (close.reason() != null) ? close.reason().getBytes(StandardCharsets.UTF_8) : new byte[0];
			if (reason.length > Capsule.MAX_CLOSE_REASON_BYTES) {
				throw new IllegalArgumentException("Session close reason is " + reason.length + " UTF-8 bytes; at most "
						+ Capsule.MAX_CLOSE_REASON_BYTES + " are allowed");
			}
			int length = 4 + reason.length;
			ByteBuf out = allocator.buffer(VarInt.size(capsule.type()) + VarInt.size(length) + length);
			VarInt.write(out, capsule.type());
			VarInt.write(out, length);
			out.writeInt((int) close.code());
			out.writeBytes(reason);
			return out;
		}
		ByteBuf out = allocator.buffer(5);
		VarInt.write(out, capsule.type());
		VarInt.write(out, 0);
		return out;
	}

}
