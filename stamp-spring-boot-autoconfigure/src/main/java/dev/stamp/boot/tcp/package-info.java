/**
 * Raw TCP endpoints: one {@link dev.stamp.boot.StampRoute} handler call per connection,
 * in a blocking ({@link dev.stamp.boot.tcp.TcpConnection}) or reactive
 * ({@link dev.stamp.boot.tcp.ReactiveTcpConnection}) form.
 */
@NullMarked
package dev.stamp.boot.tcp;

import org.jspecify.annotations.NullMarked;
