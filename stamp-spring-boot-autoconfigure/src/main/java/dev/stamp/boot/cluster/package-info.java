/**
 * Stamp nodes that share topics, presence and their own liveness through Redis, on the
 * application's Spring Data Redis connection ({@code stamp.cluster.*}).
 */
package dev.stamp.boot.cluster;
