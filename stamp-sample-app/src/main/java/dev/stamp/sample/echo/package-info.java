/**
 * The sample's TCP and WebSocket echo servers.
 */
@NullMarked
package dev.stamp.sample.echo;

import org.jspecify.annotations.NullMarked;
