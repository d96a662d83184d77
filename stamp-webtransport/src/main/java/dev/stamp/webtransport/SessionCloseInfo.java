package dev.stamp.webtransport;

/**
 * How a session ended.
 *
 * @param code the application error code of CLOSE_WEBTRANSPORT_SESSION (0 when the
 * session ended without one)
 * @param reason its reason ("" when none)
 * @param byPeer whether the peer ended it (capsule, FIN or reset of the CONNECT stream,
 * lost connection)
 */
public record SessionCloseInfo(long code, String reason, boolean byPeer) {
}
