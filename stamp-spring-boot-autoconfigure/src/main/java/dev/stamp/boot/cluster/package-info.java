/**
 * Stamp nodes that share topics, presence and their own liveness through Redis, on the
 * application's Spring Data Redis connection ({@code stamp.cluster.*}).
 */
@NullMarked
package dev.stamp.boot.cluster;

import org.jspecify.annotations.NullMarked;
