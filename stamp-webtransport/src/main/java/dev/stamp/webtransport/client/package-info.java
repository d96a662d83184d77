/**
 * A Java WebTransport client on Netty QUIC:
 * {@link dev.stamp.webtransport.client.WebTransportClient}, with trust by certificate
 * hash or trust store, and server-opened bidirectional streams supported.
 */
@NullMarked
package dev.stamp.webtransport.client;

import org.jspecify.annotations.NullMarked;
