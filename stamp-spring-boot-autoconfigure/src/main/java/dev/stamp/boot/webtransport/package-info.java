/**
 * WebTransport endpoints on Stamp's HTTP/3 engine: one {@link dev.stamp.boot.StampRoute}
 * handler call per session, with routing, origin checks and middleware deciding the
 * answer to each extended CONNECT.
 */
@NullMarked
package dev.stamp.boot.webtransport;

import org.jspecify.annotations.NullMarked;
