package dev.stamp.webtransport.protocol;

import io.netty.handler.codec.http3.Http3Settings;

/**
 * Which WebTransport-over-HTTP/3 draft family a peer speaks, as told by its SETTINGS (or
 * its CONNECT headers when the SETTINGS have not arrived yet).
 */
public enum Dialect {

	/** Nothing seen yet that tells the dialect. */
	UNKNOWN,

	/** draft-02: SETTINGS_ENABLE_WEBTRANSPORT (0x2b603742); what Chromium speaks. */
	DRAFT_02,

	/**
	 * draft-07 and later: WT_MAX_SESSIONS / WT_ENABLED; Safari, Firefox, webtransport-go,
	 * Flupke.
	 */
	LATEST;

	/**
	 * The dialect a peer's SETTINGS announce.
	 * @param settings the peer's SETTINGS
	 * @return the dialect, {@code UNKNOWN} if none is announced
	 */
	public static Dialect fromSettings(Http3Settings settings) {
		if (settings.get(WebTransportSettings.ENABLE_WEBTRANSPORT_DRAFT02) != null) {
			return DRAFT_02;
		}
		if (settings.get(WebTransportSettings.WT_MAX_SESSIONS) != null
				|| settings.get(WebTransportSettings.WT_MAX_SESSIONS_DRAFT07) != null
				|| settings.get(WebTransportSettings.WT_ENABLED) != null) {
			return LATEST;
		}
		return UNKNOWN;
	}

}
