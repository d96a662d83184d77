package dev.stamp.webtransport.fuzz;

import java.util.Map;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http3.Http3Settings;

import dev.stamp.webtransport.protocol.Dialect;
import dev.stamp.webtransport.protocol.VarInt;
import dev.stamp.webtransport.protocol.WebTransportSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the payload of a peer's SETTINGS frame as the engine reads it: (identifier,
 * value) varint pairs put into an {@link Http3Settings} guarded by
 * {@link WebTransportSettings#VALIDATOR}, the way Netty's HTTP/3 frame codec does, then
 * {@link Dialect#fromSettings}. The only failure is Netty's
 * {@link IllegalArgumentException} for an invalid standard setting; only standard and
 * WebTransport identifiers are kept; the kept settings re-encode to a payload that reads
 * back to the same settings.
 */
class WebTransportSettingsFuzzTests {

	/** Identifiers Netty knows itself (RFC 9114, 9204, 9220, 9297). */
	private static final Set<Long> STANDARD_IDS = Set.of(0x1L, 0x6L, 0x7L, 0x8L, 0x33L);

	private static final Set<Long> WEBTRANSPORT_IDS = Set.of(WebTransportSettings.H3_DATAGRAM_DRAFT04,
			WebTransportSettings.ENABLE_WEBTRANSPORT_DRAFT02, WebTransportSettings.WT_MAX_SESSIONS_DRAFT07,
			WebTransportSettings.WT_MAX_SESSIONS, WebTransportSettings.WT_ENABLED,
			WebTransportSettings.WT_INITIAL_MAX_DATA, WebTransportSettings.WT_INITIAL_MAX_STREAMS_UNI,
			WebTransportSettings.WT_INITIAL_MAX_STREAMS_BIDI);

	private static final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

	@FuzzTest(maxDuration = FuzzDurations.PER_TARGET)
	void readsSettingsPayloads(byte[] payload) {
		ByteBuf in = allocator.heapBuffer(payload.length).writeBytes(payload);
		try {
			Http3Settings settings = read(in);
			if (settings != null) {
				assertThat(Dialect.fromSettings(settings)).isNotNull();
				for (Map.Entry<Long, Long> setting : settings) {
					assertThat(STANDARD_IDS.contains(setting.getKey()) || WEBTRANSPORT_IDS.contains(setting.getKey()))
						.as("setting 0x%x kept", setting.getKey())
						.isTrue();
					assertThat(setting.getValue()).isBetween(0L, VarInt.MAX_VALUE);
				}
				ByteBuf rewritten = write(settings);
				try {
					assertThat(read(rewritten)).isEqualTo(settings);
				}
				finally {
					rewritten.release();
				}
			}
		}
		finally {
			in.release();
		}
		assertThat(allocator.metric().usedHeapMemory()).as("bytes still allocated").isZero();
	}

	/**
	 * The settings of a payload, or {@code null} when a peer would get H3_SETTINGS_ERROR
	 * or H3_FRAME_ERROR.
	 */
	private static Http3Settings read(ByteBuf payload) {
		Http3Settings settings = new Http3Settings(WebTransportSettings.VALIDATOR);
		while (payload.isReadable()) {
			long id = VarInt.read(payload);
			long value = (id == VarInt.INCOMPLETE) ? VarInt.INCOMPLETE : VarInt.read(payload);
			if (value == VarInt.INCOMPLETE) {
				return null; // truncated pair
			}
			try {
				if (settings.put(id, value) != null) {
					return null; // duplicate
				}
			}
			catch (IllegalArgumentException ex) {
				return null; // reserved for HTTP/2, or an invalid value of a standard
								// setting
			}
		}
		return settings;
	}

	private static ByteBuf write(Http3Settings settings) {
		ByteBuf out = allocator.heapBuffer();
		for (Map.Entry<Long, Long> setting : settings) {
			VarInt.write(out, setting.getKey());
			VarInt.write(out, setting.getValue());
		}
		return out;
	}

}
