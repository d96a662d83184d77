/**
 * Spring-free building blocks that every Stamp protocol shares: the per-listener
 * connection registry that enforces {@code max-connections}, refusal logging that stays
 * quiet under bursts, connection statistics, and the executor that runs blocking user
 * handlers off the Netty event loops.
 */
@NullMarked
package dev.stamp.core;

import org.jspecify.annotations.NullMarked;
