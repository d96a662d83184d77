/**
 * Topics: named channels that a publisher sends text or bytes to and that subscribers,
 * WebSocket clients and WebTransport sessions receive, on this node and, with
 * {@code stamp.cluster.enabled}, on every node of the cluster.
 */
@NullMarked
package dev.stamp.boot.topic;

import org.jspecify.annotations.NullMarked;
