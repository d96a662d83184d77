/**
 * WebSocket endpoints: one {@link dev.stamp.boot.StampRoute} handler call per message,
 * with broadcast to every client of the same request path.
 */
@NullMarked
package dev.stamp.boot.websocket;

import org.jspecify.annotations.NullMarked;
