/**
 * The engine's Netty plumbing, shared by server and client: per-connection state, the
 * 0x41 stream interception, stream and session implementations, pending buffers and
 * counters. Public only so that the server and client packages can use it; not an API.
 */
@NullMarked
package dev.stamp.webtransport.internal;

import org.jspecify.annotations.NullMarked;
