/**
 * Wire formats of WebTransport over HTTP/3, free of I/O: QUIC varints, capsules, the HTTP
 * datagram prefix, application error code mapping, SETTINGS identifiers and dialects.
 */
@NullMarked
package dev.stamp.webtransport.protocol;

import org.jspecify.annotations.NullMarked;
