/**
 * The sample's WebTransport echo and the log of its recent sessions.
 */
package dev.stamp.sample.webtransport;
