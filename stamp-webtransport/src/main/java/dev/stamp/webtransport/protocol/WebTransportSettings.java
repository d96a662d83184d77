package dev.stamp.webtransport.protocol;

import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.http3.Http3SettingsFrame;

/**
 * The HTTP/3 SETTINGS identifiers of WebTransport, and the SETTINGS frame an endpoint
 * sends so that peers of both dialects (draft-02 and the later drafts) enable
 * WebTransport.
 */
public final class WebTransportSettings {

	/** SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 9220). */
	public static final long ENABLE_CONNECT_PROTOCOL = 0x08;

	/** SETTINGS_H3_DATAGRAM (RFC 9297). */
	public static final long H3_DATAGRAM = 0x33;

	/** The pre-RFC H3_DATAGRAM identifier some Chromium versions still send. */
	public static final long H3_DATAGRAM_DRAFT04 = 0xffd277L;

	/** SETTINGS_ENABLE_WEBTRANSPORT of draft-02. */
	public static final long ENABLE_WEBTRANSPORT_DRAFT02 = 0x2b603742L;

	/** SETTINGS_WEBTRANSPORT_MAX_SESSIONS of draft-07/08. */
	public static final long WT_MAX_SESSIONS_DRAFT07 = 0xc671706aL;

	/** SETTINGS_WT_MAX_SESSIONS of the later drafts (the only one Flupke sends). */
	public static final long WT_MAX_SESSIONS = 0x14e9cd29L;

	/** SETTINGS_WT_ENABLED of the latest drafts. */
	public static final long WT_ENABLED = 0x2c7cf000L;

	/** SETTINGS_WT_INITIAL_MAX_DATA. */
	public static final long WT_INITIAL_MAX_DATA = 0x2b61L;

	/** SETTINGS_WT_INITIAL_MAX_STREAMS_UNI. */
	public static final long WT_INITIAL_MAX_STREAMS_UNI = 0x2b64L;

	/** SETTINGS_WT_INITIAL_MAX_STREAMS_BIDI. */
	public static final long WT_INITIAL_MAX_STREAMS_BIDI = 0x2b65L;

	/** A plain array: the validator runs for every setting of every connection. */
	private static final long[] WEBTRANSPORT_IDS = { H3_DATAGRAM_DRAFT04, ENABLE_WEBTRANSPORT_DRAFT02,
			WT_MAX_SESSIONS_DRAFT07, WT_MAX_SESSIONS, WT_ENABLED, WT_INITIAL_MAX_DATA, WT_INITIAL_MAX_STREAMS_UNI,
			WT_INITIAL_MAX_STREAMS_BIDI };

	/**
	 * Accepts the WebTransport identifiers that Netty does not know, in both directions;
	 * drops everything else.
	 */
	public static final Http3Settings.NonStandardHttp3SettingsValidator VALIDATOR = (id, value) -> isWebTransportId(id);

	private WebTransportSettings() {
	}

	private static boolean isWebTransportId(long id) {
		for (long known : WEBTRANSPORT_IDS) {
			if (known == id) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The SETTINGS this endpoint sends.
	 * @param maxSessions sessions a peer may open on one connection
	 * @param maxStreamsPerSession streams of each direction a peer may open in one
	 * session
	 * @return a new SETTINGS frame
	 */
	public static Http3SettingsFrame localSettings(long maxSessions, long maxStreamsPerSession) {
		Http3Settings settings = new Http3Settings(VALIDATOR);
		settings.enableConnectProtocol(true);
		settings.enableH3Datagram(true);
		settings.put(H3_DATAGRAM_DRAFT04, 1L);
		settings.put(ENABLE_WEBTRANSPORT_DRAFT02, 1L);
		settings.put(WT_MAX_SESSIONS_DRAFT07, maxSessions);
		settings.put(WT_MAX_SESSIONS, maxSessions);
		settings.put(WT_ENABLED, 1L);
		settings.put(WT_INITIAL_MAX_STREAMS_UNI, maxStreamsPerSession);
		settings.put(WT_INITIAL_MAX_STREAMS_BIDI, maxStreamsPerSession);
		// Session-level data flow control is not enforced by this engine (QUIC's
		// per-stream and per-connection flow control bound memory); announce the largest
		// window so newer-draft peers never wait for WT_MAX_DATA.
		settings.put(WT_INITIAL_MAX_DATA, VarInt.MAX_VALUE);
		return new DefaultHttp3SettingsFrame(settings);
	}

}
