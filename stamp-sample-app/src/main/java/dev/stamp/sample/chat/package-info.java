/**
 * The sample's WebSocket chat room.
 */
package dev.stamp.sample.chat;
