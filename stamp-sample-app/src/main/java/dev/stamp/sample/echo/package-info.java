/**
 * The sample's echo servers over raw TCP and WebSocket.
 */
package dev.stamp.sample.echo;
