/**
 * Blocking-friendly test clients for Stamp's listeners, one per protocol, each pointed at
 * a {@link dev.stamp.test.client.StampListenerAddress}.
 */
@NullMarked
package dev.stamp.test.client;

import org.jspecify.annotations.NullMarked;
