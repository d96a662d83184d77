/**
 * Live topics: a WebTransport session follows a topic, published on any node of the
 * cluster.
 */
@NullMarked
package dev.stamp.sample.live;

import org.jspecify.annotations.NullMarked;
