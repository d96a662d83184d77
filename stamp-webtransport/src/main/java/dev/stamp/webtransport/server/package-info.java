/**
 * The Spring-free WebTransport server:
 * {@link dev.stamp.webtransport.server.WebTransportServer}, its configuration, and the
 * admission hook ({@link dev.stamp.webtransport.server.SessionAcceptor}) where routing
 * and middleware decide about each session request.
 */
@NullMarked
package dev.stamp.webtransport.server;

import org.jspecify.annotations.NullMarked;
