/**
 * WebSocket endpoints: one {@link dev.stamp.boot.StampRoute} handler call per message,
 * with broadcast to every client of the same request path.
 */
package dev.stamp.boot.websocket;
