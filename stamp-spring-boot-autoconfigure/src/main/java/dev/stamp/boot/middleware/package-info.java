/**
 * Middleware: checks that run before a request reaches its route, the same for every
 * protocol. A WebSocket handshake, an HTTP request, a WebTransport session and a TCP
 * connection each pass through the ordered
 * {@link dev.stamp.boot.middleware.StampMiddleware} beans; the first rejection answers
 * the client.
 */
@NullMarked
package dev.stamp.boot.middleware;

import org.jspecify.annotations.NullMarked;
