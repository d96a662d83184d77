/**
 * The sample's WebTransport echo ({@code /echo}) and its session log.
 */
@NullMarked
package dev.stamp.sample.webtransport;

import org.jspecify.annotations.NullMarked;
